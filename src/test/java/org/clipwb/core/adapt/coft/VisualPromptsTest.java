package org.clipwb.core.adapt.coft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.clipwb.core.model.ClipCheckpoint;
import org.clipwb.core.model.ClipModel;
import org.clipwb.core.model.LayerHook;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;

class VisualPromptsTest {
    private static final int EOT = 633;

    @Test
    void promptsAreReplacedBeforeEveryLayerAndZeroPromptsChangeNothing() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipCheckpoint.load(TestData.tinyClip().resolve("hf"), EOT, manager).model();
            ParameterStore store = new ParameterStore(manager, false);
            NDArray pixels = manager.randomNormal(0, 1, new Shape(2, 3, 32, 32), DataType.FLOAT32);
            var vision = model.config().vision();
            float[] plain = model.encodeImage(store, pixels, false).toFloatArray();

            VisualPrompts none = new VisualPrompts(manager.zeros(new Shape(vision.layers(), 0, vision.width())),
                    vision.tokens());
            assertArrayEquals(plain, model.encodeImage(store, pixels, false, none).toFloatArray(),
                    "no prompt tokens: exactly the frozen tower");

            VisualPrompts prompts = VisualPrompts.initialise(manager, new SplittableRandom(1), vision, 3, 0);
            assertEquals(new Shape(vision.layers(), 3, vision.width()), prompts.prompts().getShape());
            double bound = Math.sqrt(6.0 / (3.0 * vision.patchSize() * vision.patchSize() + vision.width()));
            assertTrue(prompts.prompts().abs().max().getFloat() <= bound, "U(−v, v) with VPT's bound");
            List<Long> lengths = new ArrayList<>();
            LayerHook recording = (layer, tokens) -> {
                NDArray out = prompts.beforeLayer(layer, tokens);
                lengths.add(out.getShape().get(1));
                return out;
            };
            NDArray prompted;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                prompted = model.encodeImage(store, pixels, true, recording);
                collector.backward(prompted.sum());
            }
            assertEquals(List.of((long) vision.tokens() + 3, (long) vision.tokens() + 3), lengths,
                    "each layer drops the previous layer's prompts and appends its own");
            assertFalse(Arrays.equals(plain, prompted.toFloatArray()));
            for (int layer = 0; layer < vision.layers(); layer++) {
                assertTrue(prompts.prompts().getGradient().get(layer).abs().sum().getFloat() > 0,
                        "the gradient reaches the prompts of layer " + layer);
            }
            assertArrayEquals(plain, model.encodeImage(store, pixels, false).toFloatArray(),
                    "without the hook the tower is as it was");
        }
    }
}
