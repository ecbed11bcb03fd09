package org.clipwb.core.demo;

import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.model.Clip;
import org.clipwb.core.zeroshot.Evaluation;
import org.clipwb.core.zeroshot.Prediction;
import org.clipwb.core.zeroshot.ZeroShotClassifier;

/**
 * Zero-shot accuracy of a model on freshly rendered scenes of the demo world, through the same classifier and
 * preprocessing as the product (rendered at the model's input size, so there is no resampling).
 */
public final class WorldEvaluation {
    /** Seed stream of the held-out renders: pretraining draws its scenes from other streams. */
    public static final long HELD_OUT_SEED = 0x5EED_0E7AL;
    private static final int BATCH = 64;

    private WorldEvaluation() {
    }

    /** Accuracy of {@code clip} on {@code count} held-out scenes of stream {@code seed}, in the pretraining style. */
    public static Evaluation zeroShot(Clip clip, WorldTask task, long seed, int count) {
        ClipPreprocessor preprocessor = clip.preprocessor();
        int size = preprocessor.config().cropWidth();
        ZeroShotClassifier classifier = ZeroShotClassifier.build(task.classes(), task.templates(), clip,
                clip.logitScale());
        List<Prediction> predictions = new ArrayList<>(count);
        int[] labels = new int[count];
        float[] pixels = new float[BATCH * preprocessor.tensorLength()];
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            for (int i = 0; i < n; i++) {
                Scene scene = SceneSampler.sample(SceneSampler.randomFor(seed, start + i));
                labels[start + i] = task.label(scene);
                preprocessor.toTensor(SceneRenderer.toRgb(SceneRenderer.render(scene, size)), pixels,
                        i * preprocessor.tensorLength());
            }
            predictions.addAll(classifier.classify(clip.embedPixels(pixels, n)));
        }
        return Evaluation.of(task.classes(), predictions, labels);
    }
}
