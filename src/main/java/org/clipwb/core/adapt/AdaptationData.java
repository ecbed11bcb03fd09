package org.clipwb.core.adapt;

import java.util.Objects;
import java.util.Optional;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;

/**
 * Everything a method adapts from, as embeddings of the frozen model: the unlabeled target images (their labels are
 * evaluation labels, used for reporting only, never by a method), the zero-shot class weights, optional labeled
 * shots the user vouches for, and an optional held-out test set.
 *
 * @param classes the class list
 * @param target the unlabeled images the methods adapt on; {@code labels} are the folder's evaluation labels
 * @param classWeights the zero-shot classifier's normalised class weights [C][D] (templates, ensembles or descriptions)
 * @param logitScale exp(logit_scale) of the model, the multiplier of cosine similarities
 * @param shots labeled shots (labels always set), possibly empty
 * @param test a held-out test set, when given
 * @param images the model and the image files, for methods that change the image encoder (CoFT), when available
 * @param descriptions where class descriptions come from, for methods that use them (CoFT+), when configured
 * @param templates the templates {@code classWeights} were built from, for methods that embed class captions again
 *     with a fine-tuned text tower (FLYP), when known
 */
public record AdaptationData(ClassList classes, LabeledSet target, float[][] classWeights, float logitScale,
        LabeledSet shots, Optional<LabeledSet> test, Optional<ImageSource> images,
        Optional<ClassDescriptions> descriptions, Optional<PromptTemplates> templates) {

    /** Data of embeddings only: enough for the methods that adapt on cached embeddings. */
    public AdaptationData(ClassList classes, LabeledSet target, float[][] classWeights, float logitScale,
            LabeledSet shots, Optional<LabeledSet> test) {
        this(classes, target, classWeights, logitScale, shots, test, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public AdaptationData {
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(descriptions, "descriptions");
        Objects.requireNonNull(templates, "templates");
        if (classWeights.length != classes.size()) {
            throw new IllegalArgumentException(classWeights.length + " class weights for " + classes.size() + " classes");
        }
        for (int label : shots.labels()) {
            if (label < 0 || label >= classes.size()) {
                throw new IllegalArgumentException("every labeled shot needs a class, got label " + label);
            }
        }
    }

    /** This data with the model and image files that encoder-level methods train on. */
    public AdaptationData withImages(ImageSource source) {
        return new AdaptationData(classes, target, classWeights, logitScale, shots, test, Optional.of(source),
                descriptions, templates);
    }

    /** This data with a source of class descriptions. */
    public AdaptationData withDescriptions(ClassDescriptions source) {
        return new AdaptationData(classes, target, classWeights, logitScale, shots, test, images, Optional.of(source),
                templates);
    }

    /** This data with the templates its class weights were built from. */
    public AdaptationData withTemplates(PromptTemplates source) {
        return new AdaptationData(classes, target, classWeights, logitScale, shots, test, images, descriptions,
                Optional.of(source));
    }

    /**
     * The image files and the model, for a method that trains on images.
     *
     * @param method what asks, and what it does with them (for the error), e.g. "flyp fine-tunes both encoders"
     * @throws IllegalStateException the data has embeddings only
     */
    public ImageSource requireImages(String method) {
        return images.orElseThrow(() -> new IllegalStateException(method + " and needs the image files and the model "
                + "(AdaptationData.withImages); the embeddings alone are not enough"));
    }

    /** Number of classes. */
    public int classCount() {
        return classes.size();
    }

    /** The embedding width D. */
    public int dimension() {
        return classWeights[0].length;
    }
}
