package org.clipwb.core.adapt.coft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.images.TrainableWeights;
import org.clipwb.core.model.ClipModel;
import org.clipwb.core.model.LayerHook;

/**
 * CLIP's image tower as one of CoFT's models sees it: the model's weights (or a store that replaces some of them
 * with trained copies), optional deep visual prompts and an optional adapter on the output feature. Its features
 * are L2-normalised.
 */
final class ImageEncoder {
    private final ClipModel model;
    private final TrainableWeights weights;
    private final Optional<VisualPrompts> prompts;
    private final Optional<FeatureAdapter> adapter;

    ImageEncoder(ClipModel model, TrainableWeights weights, Optional<VisualPrompts> prompts,
            Optional<FeatureAdapter> adapter) {
        this.model = model;
        this.weights = weights;
        this.prompts = prompts;
        this.adapter = adapter;
    }

    /** Normalised features [B, D] of pixels [B, 3, S, S]; {@code training} when gradients are wanted. */
    NDArray features(NDArray pixels, boolean training) {
        LayerHook hook = prompts.isPresent() ? prompts.get() : LayerHook.NONE;
        return adapt(model.encodeImage(weights, pixels, training, hook));
    }

    /** Normalised features [B, D] of the tower's raw output features [B, D]: the adapter's part of the encoder. */
    NDArray adapt(NDArray raw) {
        return CoftArrays.normalise(adapter.map(a -> a.apply(raw)).orElse(raw));
    }

    /**
     * Whether the tower itself is the loaded model's, unprompted and untrained, so that {@link #adapt} of the frozen
     * tower's features ({@link CoftImages#frozenFeatures}) gives what {@link #features} gives without augmentation.
     */
    boolean towerIsFrozen() {
        return prompts.isEmpty() && weights.weights().isEmpty();
    }

    /** Everything this encoder trains, by name: replaced weights (canonical names), prompts, adapter. */
    Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>(weights.weights());
        prompts.ifPresent(p -> out.put(VisualPrompts.NAME, p.prompts()));
        adapter.ifPresent(a -> out.putAll(a.parameters()));
        return out;
    }

    /** Whether the encoder has modules a CLIP checkpoint cannot hold. */
    boolean hasModules() {
        return prompts.isPresent() || adapter.isPresent();
    }

    /** An encoder with copies of this one's weights and modules (a momentum encoder when not trainable). */
    ImageEncoder copy(NDManager manager, boolean trainable) {
        TrainableWeights copied = new TrainableWeights(manager, model)
                .replace(weights.weights()::containsKey, trainable);
        copied.load(weights.snapshot());
        return new ImageEncoder(model, copied, prompts.map(p -> p.copy(manager, trainable)),
                adapter.map(a -> a.copy(manager, trainable)));
    }

    /**
     * An encoder that runs on {@code weights} (a student's trainable copies) with trainable copies of this one's
     * modules: Phase II started from model A's weights incl. its visual module (§4.4).
     */
    ImageEncoder withWeights(TrainableWeights weights, NDManager manager) {
        return new ImageEncoder(model, weights, prompts.map(p -> p.copy(manager, true)),
                adapter.map(a -> a.copy(manager, true)));
    }

    /** Overwrites every parameter with saved values, by name (a checkpoint or another model's outputs). */
    void load(Map<String, Tensor> saved, String prefix) {
        CoftArrays.load(parameters(), saved, prefix);
    }
}
