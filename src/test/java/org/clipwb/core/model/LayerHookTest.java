package org.clipwb.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;

/** The image tower's per-layer hook (deep visual prompt tuning) changes nothing unless it changes the tokens. */
class LayerHookTest {
    private static final int EOT = 633;

    @Test
    void theIdentityHookGivesTheTowerBitForBit() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipCheckpoint.load(TestData.tinyClip().resolve("hf"), EOT, manager).model();
            ParameterStore store = new ParameterStore(manager, false);
            NDArray pixels = manager.randomNormal(0, 1, new Shape(3, 3, 32, 32), DataType.FLOAT32);
            float[] plain = model.encodeImage(store, pixels, false).toFloatArray();
            assertArrayEquals(plain, model.encodeImage(store, pixels, false, (layer, tokens) -> tokens).toFloatArray());
            assertArrayEquals(plain, model.encodeImage(store, pixels, false, LayerHook.NONE).toFloatArray());
        }
    }

    @Test
    void aHookRewritesTheTokensOfEveryLayerAndRemovingItRestoresTheTower() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipCheckpoint.load(TestData.tinyClip().resolve("hf"), EOT, manager).model();
            ParameterStore store = new ParameterStore(manager, false);
            NDArray pixels = manager.randomNormal(0, 1, new Shape(2, 3, 32, 32), DataType.FLOAT32);
            float[] plain = model.encodeImage(store, pixels, false).toFloatArray();
            int imageTokens = model.config().vision().tokens();
            List<Long> seen = new ArrayList<>();
            LayerHook twoPrompts = (layer, tokens) -> {
                seen.add(tokens.getShape().get(1));
                NDArray image = tokens.get(new NDIndex(":, :{}", imageTokens));
                NDArray prompts = manager.ones(new Shape(tokens.getShape().get(0), 2, tokens.getShape().get(2)))
                        .mul(0.5f * (layer + 1));
                return NDArrays.concat(new NDList(image, prompts), 1);
            };
            float[] prompted = model.encodeImage(store, pixels, false, twoPrompts).toFloatArray();
            assertEquals(List.of((long) imageTokens, (long) imageTokens + 2), seen,
                    "layer 0 sees the image tokens, layer 1 also the prompts of layer 0");
            assertFalse(Arrays.equals(plain, prompted), "the prompts take part in attention");
            assertArrayEquals(plain, model.encodeImage(store, pixels, false).toFloatArray(), "the model kept no state");
        }
    }
}
