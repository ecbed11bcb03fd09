package org.clipwb.app.zeroshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.stream.Stream;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.clipwb.core.model.Precision;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;

/**
 * The inputs of a zero-shot run as the user edits them, each checked as it changes: the image folder, the model and
 * its precision, the templates and the class list. {@link #requestProperty()} holds the run they describe, or null
 * while one is invalid. Plain observable state (no controls), used on the FX thread.
 */
public final class ZeroShotForm {
    private final StringProperty imageFolder = new SimpleStringProperty(this, "imageFolder", "");
    private final StringProperty modelSpec = new SimpleStringProperty(this, "modelSpec", ModelStore.DEFAULT_MODEL);
    private final ObjectProperty<Precision> precision = new SimpleObjectProperty<>(this, "precision",
            Precision.FP32);
    private final StringProperty templates = new SimpleStringProperty(this, "templates",
            PromptTemplates.DEFAULT_TEMPLATE);
    private final StringProperty classList = new SimpleStringProperty(this, "classList", "");

    private final ObjectBinding<Checked<Path>> folderCheck = Bindings.createObjectBinding(
            () -> checkFolder(imageFolder.get()), imageFolder);
    private final ObjectBinding<Checked<String>> modelCheck = Bindings.createObjectBinding(
            () -> checkModel(modelSpec.get()), modelSpec);
    private final ObjectBinding<Checked<PromptTemplates>> templatesCheck = Bindings.createObjectBinding(
            () -> checkTemplates(templates.get()), templates);
    private final ObjectBinding<Checked<ClassList>> classListCheck = Bindings.createObjectBinding(
            () -> checkClassList(classList.get()), classList);
    private final ObjectBinding<RunRequest> request = Bindings.createObjectBinding(this::buildRequest,
            folderCheck, modelCheck, precision, templatesCheck, classListCheck);
    private final StringBinding firstProblem = Bindings.createStringBinding(() -> Stream.of(folderCheck.get(),
            modelCheck.get(), classListCheck.get(), templatesCheck.get()).map(Checked::error)
            .filter(error -> error != null).findFirst().orElse(null), folderCheck, modelCheck, templatesCheck,
            classListCheck);

    /** The image folder as typed or chosen. */
    public StringProperty imageFolderProperty() {
        return imageFolder;
    }

    /** The model: the bundled demo model (the default), a hub repo id or a local folder. */
    public StringProperty modelSpecProperty() {
        return modelSpec;
    }

    /** The number format the model computes in (fp32 unless chosen); not null. */
    public ObjectProperty<Precision> precisionProperty() {
        return precision;
    }

    /** The templates: one template with {}, "openai80" or a template file. */
    public StringProperty templatesProperty() {
        return templates;
    }

    /** The class list text: one class per line, # comments. */
    public StringProperty classListProperty() {
        return classList;
    }

    /** The folder check. */
    public ObjectBinding<Checked<Path>> folderCheck() {
        return folderCheck;
    }

    /** The templates check; its value says which templates were understood. */
    public ObjectBinding<Checked<PromptTemplates>> templatesCheck() {
        return templatesCheck;
    }

    /** The class list check; its error names the line. */
    public ObjectBinding<Checked<ClassList>> classListCheck() {
        return classListCheck;
    }

    /** The run the inputs describe, or null while one of them is invalid. */
    public ObjectBinding<RunRequest> requestProperty() {
        return request;
    }

    /** The first thing to fix before a run, or null when the inputs are valid. */
    public StringBinding firstProblemProperty() {
        return firstProblem;
    }

    private RunRequest buildRequest() {
        if (!folderCheck.get().ok() || !modelCheck.get().ok() || !templatesCheck.get().ok()
                || !classListCheck.get().ok()) {
            return null;
        }
        return new RunRequest(folderCheck.get().value(), modelCheck.get().value(), precision.get(),
                classListCheck.get().value(), templatesCheck.get().value());
    }

    static Checked<Path> checkFolder(String text) {
        if (text == null || text.isBlank()) {
            return Checked.invalid("Choose an image folder");
        }
        Path folder;
        try {
            folder = Path.of(text.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return Checked.invalid("Not a valid path: " + e.getReason());
        }
        if (!Files.isDirectory(folder)) {
            return Checked.invalid(Files.exists(folder) ? folder + " is a file, not a folder"
                    : "Folder not found: " + folder);
        }
        return Checked.valid(folder);
    }

    static Checked<String> checkModel(String text) {
        return text == null || text.isBlank() ? Checked.invalid("Choose a model") : Checked.valid(text.strip());
    }

    static Checked<PromptTemplates> checkTemplates(String text) {
        if (text == null || text.isBlank()) {
            return Checked.invalid("Choose templates: a template with {}, openai80 or a template file");
        }
        try {
            return Checked.valid(PromptTemplates.resolve(text.strip()));
        } catch (IOException | IllegalArgumentException e) {
            return Checked.invalid(e.getMessage());
        }
    }

    static Checked<ClassList> checkClassList(String text) {
        try {
            return Checked.valid(ClassList.parse(text == null ? "" : text));
        } catch (IllegalArgumentException e) {
            return Checked.invalid("Class list: " + e.getMessage());
        }
    }
}
