package org.clipwb.core.describe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.clipwb.core.demo.Caption;
import org.clipwb.core.demo.Scene;
import org.clipwb.core.demo.SceneRenderer;
import org.clipwb.core.demo.SceneSampler;
import org.clipwb.core.demo.WorldEvaluation;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.model.Clip;
import org.clipwb.core.store.DownloadListener;
import org.clipwb.core.store.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCaptionBankTest {
    @TempDir
    Path cache;

    @Test
    void distinctCaptionsThatDependOnlyOnTheSeed() {
        List<String> bank = DemoCaptionBank.sample(300, 7);
        assertEquals(300, bank.size());
        assertEquals(300, new HashSet<>(bank).size());
        assertEquals(bank, DemoCaptionBank.sample(300, 7));
        assertNotEquals(bank, DemoCaptionBank.sample(300, 8));
    }

    @Test
    void withTheDemoModelTheCaptionOfARenderNamesItsColourAndShape() throws Exception {
        ModelStore offline = ModelStore.fromEnvironment(Map.of("CLIPWB_CACHE", cache.toString(), "CLIPWB_OFFLINE", "1"));
        try (Clip clip = Clip.load(offline.resolve(ModelStore.DEFAULT_MODEL, DownloadListener.NONE),
                ModelStore.DEFAULT_MODEL)) {
            ClipPreprocessor preprocessor = clip.preprocessor();
            int count = 64;
            Scene[] scenes = new Scene[count];
            float[] pixels = new float[count * preprocessor.tensorLength()];
            for (int i = 0; i < count; i++) {
                scenes[i] = SceneSampler.sample(SceneSampler.randomFor(WorldEvaluation.HELD_OUT_SEED, i));
                preprocessor.toTensor(SceneRenderer.toRgb(SceneRenderer.render(scenes[i],
                        preprocessor.config().cropWidth())), pixels, i * preprocessor.tensorLength());
            }
            float[][] images = clip.embedPixels(pixels, count);
            List<Caption> bank = DemoCaptionBank.captions(1000, 1);
            Map<String, Caption> byText = bank.stream().collect(Collectors.toMap(Caption::text, caption -> caption));

            List<String> picked = new CaptionBankDescriber("demo", clip, DemoCaptionBank.sample(1000, 1), images)
                    .describeImages(images);

            // On 200 renders and 2,000 captions: colour 195, shape 181 (see CaptionBankDescriber).
            long colour = IntStream.range(0, count)
                    .filter(i -> byText.get(picked.get(i)).colour() == scenes[i].colour()).count();
            long shape = IntStream.range(0, count)
                    .filter(i -> byText.get(picked.get(i)).shape() == scenes[i].shape()).count();
            assertTrue(colour >= count * 0.85, "colour named for " + colour + " of " + count + ": " + picked);
            assertTrue(shape >= count * 0.7, "shape named for " + shape + " of " + count + ": " + picked);
        }
    }
}
