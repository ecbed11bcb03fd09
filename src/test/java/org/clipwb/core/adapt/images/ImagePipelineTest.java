package org.clipwb.core.adapt.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.image.ImageDecoder;
import org.clipwb.core.image.PreprocessConfig;
import org.clipwb.core.model.ClipCheckpoint;
import org.clipwb.core.model.ClipModel;
import org.clipwb.testing.TestData;
import org.clipwb.core.adapt.train.Gradients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePipelineTest {
    private static final Path IMAGES = TestData.tinyClip().resolve("images");
    private static final ClipPreprocessor PREPROCESSOR = new ClipPreprocessor(PreprocessConfig.openAiDefaults(32));

    @TempDir
    Path temp;

    private static List<Path> files() throws IOException {
        try (var list = Files.list(IMAGES)) {
            return list.sorted().toList();
        }
    }

    @Test
    void imagesAreKeptWithinTheBudgetAndDecodedAgainBeyondIt() throws Exception {
        List<Path> files = files();
        DecodedImages unlimited = new DecodedImages(files, Long.MAX_VALUE);
        DecodedImages none = new DecodedImages(files, 0);
        long total = 0;
        for (int i = 0; i < files.size(); i++) {
            byte[] decoded = ImageDecoder.decode(files.get(i)).rgb();
            assertArrayEquals(decoded, unlimited.get(i).rgb());
            assertArrayEquals(decoded, none.get(i).rgb());
            total += decoded.length;
        }
        assertEquals(total, unlimited.keptBytes());
        assertEquals(0, none.keptBytes());

        Path copy = Files.copy(files.get(0), temp.resolve("gone.png"));
        DecodedImages vanishing = new DecodedImages(List.of(copy), 0);
        Files.delete(copy);
        IOException error = assertThrows(IOException.class, () -> vanishing.get(0));
        assertEquals(true, error.getMessage().contains("gone.png"), error.getMessage());
    }

    @Test
    void batchesDependOnlyOnTheSeedAndEachImagesOwnStream() throws Exception {
        DecodedImages images = new DecodedImages(files(), Long.MAX_VALUE);
        List<int[]> batches = List.of(new int[] {3, 0}, new int[] {1}, new int[] {2, 4, 5});
        Augmentation view = Augmentation.mocoV2(PREPROCESSOR);
        List<float[][]> first = read(images, batches, view, 42, true);
        List<float[][]> again = read(images, batches, view, 42, false);
        int length = PREPROCESSOR.tensorLength();
        for (int b = 0; b < batches.size(); b++) {
            assertArrayEquals(first.get(b)[0], again.get(b)[0], "prepared ahead or on demand, the same pixels");
            for (int k = 0; k < batches.get(b).length; k++) {
                float[] alone = new float[length];
                int image = batches.get(b)[k];
                view.write(images.get(image), new SplittableRandom(Seeds.of(42, image, 0)), alone, 0);
                float[] inBatch = new float[length];
                System.arraycopy(first.get(b)[0], k * length, inBatch, 0, length);
                assertArrayEquals(alone, inBatch, "image " + image + " draws from its own stream");
            }
            assertFalse(java.util.Arrays.equals(first.get(b)[0], first.get(b)[1]), "two views differ");
        }
        assertNotEquals(Seeds.of(1, "phase1", "A"), Seeds.of(1, "phase1", "B"));
        assertNotEquals(Seeds.of(1, 2, 3), Seeds.of(1, 3, 2));
    }

    private static List<float[][]> read(DecodedImages images, List<int[]> batches, ImageTransform view, long seed,
            boolean background) throws Exception {
        List<float[][]> out = new ArrayList<>();
        try (BatchStream stream = new BatchStream(images, batches, List.of(view, view), seed,
                PREPROCESSOR.tensorLength(), background)) {
            for (int i = 0; i < batches.size(); i++) {
                out.add(stream.next());
            }
        }
        return out;
    }

    @Test
    void replacedWeightsRunTheModelWithoutChangingIt() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipCheckpoint.load(TestData.tinyClip().resolve("hf"), 633, manager).model();
            model.trainOnly(name -> false);
            NDArray pixels = manager.randomNormal(0, 1, new Shape(2, 3, 32, 32), DataType.FLOAT32);
            float[] original = model.encodeImage(new ParameterStore(manager, false), pixels, false).toFloatArray();
            TrainableWeights copy = new TrainableWeights(manager, model).replace(name -> name.startsWith("visual."), true);
            assertArrayEquals(original, model.encodeImage(copy, pixels, false).toFloatArray(), "a copy computes alike");
            try (NDArray proj = Gradients.valuesOf(copy.weights().get("visual.proj"))) {
                proj.muli(2);
            }
            float[] changed = model.encodeImage(copy, pixels, false).toFloatArray();
            for (int i = 0; i < original.length; i++) {
                assertEquals(2 * original[i], changed[i], 1e-5 + 1e-5 * Math.abs(original[i]));
            }
            assertArrayEquals(original, model.encodeImage(new ParameterStore(manager, false), pixels, false)
                    .toFloatArray(), "the model's own weights are untouched");
            TrainableWeights restored = new TrainableWeights(manager, model).replace(name -> name.startsWith("visual."),
                    false);
            restored.load(copy.snapshot());
            assertArrayEquals(changed, model.encodeImage(restored, pixels, false).toFloatArray(),
                    "restored weights compute bit for bit as the ones they were saved from");
        }
    }
}
