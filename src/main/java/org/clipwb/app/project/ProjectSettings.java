package org.clipwb.app.project;

import java.util.LinkedHashMap;
import java.util.Map;
import org.clipwb.core.model.Precision;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.zeroshot.PromptTemplates;

/**
 * A project's inputs as its catalog keeps them: the image folder, the class list text, the templates (one template
 * with {}, openai80 or a template file), the model (demo, a hub repo id or a local folder) and its precision.
 *
 * @param images    the image folder (class subfolders, when they match the classes, are the evaluation labels)
 * @param classList the class list: one class per line, # comments
 * @param templates the templates spec
 * @param model     the model spec
 * @param precision the number format the model computes in
 */
public record ProjectSettings(String images, String classList, String templates, String model, Precision precision) {
    static final String IMAGES = "images";
    static final String CLASS_LIST = "class_list";
    static final String TEMPLATES = "templates";
    static final String MODEL = "model";
    static final String PRECISION = "precision";

    public ProjectSettings {
        images = images == null ? "" : images;
        classList = classList == null ? "" : classList;
        templates = templates == null || templates.isBlank() ? PromptTemplates.DEFAULT_TEMPLATE : templates;
        model = model == null || model.isBlank() ? ModelStore.DEFAULT_MODEL : model;
        precision = precision == null ? Precision.FP32 : precision;
    }

    /** A new project's inputs: only the image folder and classes, with the default template and the demo model. */
    public static ProjectSettings of(String images, String classList) {
        return new ProjectSettings(images, classList, null, null, null);
    }

    /** The settings as catalog entries. */
    Map<String, String> toCatalog() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(IMAGES, images);
        entries.put(CLASS_LIST, classList);
        entries.put(TEMPLATES, templates);
        entries.put(MODEL, model);
        entries.put(PRECISION, precision.toString());
        return entries;
    }

    /** The settings from catalog entries; missing ones take the defaults of a new project. */
    static ProjectSettings fromCatalog(Map<String, String> entries) {
        Precision precision;
        try {
            precision = Precision.parse(entries.getOrDefault(PRECISION, Precision.FP32.toString()));
        } catch (IllegalArgumentException e) {
            precision = Precision.FP32;
        }
        return new ProjectSettings(entries.get(IMAGES), entries.get(CLASS_LIST), entries.get(TEMPLATES),
                entries.get(MODEL), precision);
    }
}
