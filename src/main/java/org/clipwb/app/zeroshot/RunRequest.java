package org.clipwb.app.zeroshot;

import java.nio.file.Path;
import java.util.Objects;
import org.clipwb.core.model.Precision;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;

/**
 * A validated zero-shot request, as the form holds it when every input is valid.
 *
 * @param folder    the image folder, absolute and normalised (so that equal folders compare equal)
 * @param modelSpec a hub repo id or a local model folder, as {@link org.clipwb.core.store.ModelStore#resolve} takes it
 * @param precision the number format the model computes in
 */
public record RunRequest(Path folder, String modelSpec, Precision precision, ClassList classes,
        PromptTemplates templates) {
    /** Checks that nothing is missing. */
    public RunRequest {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(modelSpec, "modelSpec");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(templates, "templates");
    }

    /** Whether {@code other} asks for the same model in the same precision, so that the loaded model serves it. */
    public boolean sameModel(RunRequest other) {
        return modelSpec.equals(other.modelSpec) && precision == other.precision;
    }

    /** Whether {@code other} asks for the same classes and templates, so that its predictions are these. */
    public boolean sameClassifier(RunRequest other) {
        return classes.names().equals(other.classes.names()) && templates.templates().equals(other.templates.templates());
    }
}
