package org.clipwb.core.adapt.coft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.clipwb.core.model.ClipConfig;
import org.clipwb.core.model.LayerHook;

/**
 * Deep visual prompt tuning as DeFT codes it (methods.md §4.3): before each of the first {@code depth} layers of the
 * image tower, the previous layer's prompt tokens are dropped and this layer's P learnable tokens are appended after
 * the class and patch tokens; pooling still reads the class token. Initialised U(−v, v) with
 * {@code v = sqrt(6 / (3·patch² + width))} (VPT's Xavier-style bound; 0.0625 for ViT-B/16).
 */
final class VisualPrompts implements LayerHook {
    /** The name of the prompts among a model's trainable arrays. */
    static final String NAME = "vpt.prompts";

    private final NDArray prompts;
    private final int imageTokens;

    VisualPrompts(NDArray prompts, int imageTokens) {
        this.prompts = prompts;
        this.imageTokens = imageTokens;
    }

    /** Fresh prompts for {@code depth} layers (0 = all) of {@code vision}. */
    static VisualPrompts initialise(NDManager manager, SplittableRandom random, ClipConfig.VisionConfig vision,
            int tokens, int depth) {
        int layers = depth <= 0 ? vision.layers() : Math.min(depth, vision.layers());
        double bound = Math.sqrt(6.0 / (3.0 * vision.patchSize() * vision.patchSize() + vision.width()));
        NDArray values = CoftArrays.uniform(manager, random, bound, layers, tokens, vision.width());
        return new VisualPrompts(CoftArrays.parameter(manager, values, true), vision.tokens());
    }

    /** The prompts [depth, P, width]. */
    NDArray prompts() {
        return prompts;
    }

    /** A copy with its own array, for a momentum encoder or a student. */
    VisualPrompts copy(NDManager manager, boolean trainable) {
        return new VisualPrompts(CoftArrays.parameter(manager, prompts, trainable), imageTokens);
    }

    @Override
    public NDArray beforeLayer(int layer, NDArray tokens) {
        long depth = prompts.getShape().get(0);
        if (layer >= depth) {
            return tokens; // deeper layers keep what the last prompted layer produced
        }
        NDArray image = layer == 0 ? tokens : tokens.get(new NDIndex(":, :{}", imageTokens));
        Shape shape = prompts.getShape();
        NDArray layerPrompts = prompts.get(layer).expandDims(0)
                .broadcast(new Shape(tokens.getShape().get(0), shape.get(1), shape.get(2)));
        return NDArrays.concat(new NDList(image, layerPrompts), 1);
    }
}
