package org.clipwb.core.adapt.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import org.clipwb.core.adapt.Accuracy;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethod;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.ProgressListener;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.RunStore;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.SyntheticData;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.testing.Heads;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.head.HeadFiles;

/** The synthetic data and the checks the baseline tests share. */
final class BaselineRuns {
    /** LLU's test world: 4 classes in 16 dimensions, zero-shot right on most images but not all. */
    static final AdaptationData DATA = SyntheticData.create(4, 16, 40, 0.55, 0.35, 11);

    private BaselineRuns() {
    }

    /** {@link #DATA} with the first {@code count} target images, with their labels, as labeled shots. */
    static AdaptationData withShots(int count) {
        LabeledSet shots = DATA.target().subset(IntStream.range(0, count).toArray());
        return new AdaptationData(DATA.classes(), DATA.target(), DATA.classWeights(), DATA.logitScale(), shots,
                DATA.test());
    }

    /** Runs (or resumes) {@code method} in {@code store}. */
    static ClassifierHead run(AdaptationMethod method, AdaptationData data, Settings settings, long seed,
            RunStore store, ProgressListener listener, Cancellation cancellation) throws IOException {
        return method.adapt(new RunContext(data, settings, seed, store, listener, cancellation));
    }

    /** Runs {@code method} straight through in a fresh folder. */
    static ClassifierHead run(AdaptationMethod method, AdaptationData data, Settings settings, Path folder,
            ProgressListener listener) throws IOException {
        return run(method, data, settings, 7, new RunStore(folder), listener, new Cancellation());
    }

    /** The accuracy of {@code head} on the held-out test images. */
    static double testAccuracy(ClassifierHead head) {
        LabeledSet test = DATA.test().orElseThrow();
        int[] predicted = Predictions.of(head, test.embeddings()).labels();
        return Accuracy.plain(predicted, test.labels()).orElseThrow();
    }

    /** Zero-shot's accuracy on the held-out test images. */
    static double zeroShotTestAccuracy() {
        return testAccuracy(new CosineHead(DATA.classWeights(), DATA.logitScale()));
    }

    /** Saves and loads {@code head}, and checks that the loaded head is of its kind and gives identical probabilities. */
    static void assertRoundTrips(ClassifierHead head, Path folder) throws IOException {
        HeadFiles.save(head, DATA.classes().names(), folder);
        HeadFiles.Saved loaded = HeadFiles.load(folder);
        assertEquals(head.kind(), loaded.head().kind());
        assertEquals(DATA.classes().names(), loaded.classNames());
        float[][] images = DATA.test().orElseThrow().embeddings();
        float[][] expected = head.probabilities(images);
        float[][] actual = loaded.head().probabilities(images);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], "image " + i);
        }
    }

    /** Checks that two heads hold bit-identical tensors and the same scalars. */
    static void assertHeadsEqual(ClassifierHead expected, ClassifierHead actual) {
        Heads.assertSameHead(expected, actual);
    }

    /**
     * Runs {@code method} straight through, then again cancelled in the middle of epoch {@code epoch} (after step
     * {@code step} of it) of phase {@code phase} and resumed, and checks that both runs give the same head.
     */
    static void assertResumesBitIdentically(AdaptationMethod method, AdaptationData data, Settings settings,
            String phase, int epoch, int step, Path folder) throws IOException {
        ClassifierHead straight = run(method, data, settings, 5, new RunStore(folder.resolve("straight")),
                ProgressListener.NONE, new Cancellation());
        Cancellation cancellation = new Cancellation();
        RunStore store = new RunStore(folder.resolve("resumed"));
        int[] stepsPerEpoch = new int[1];
        assertThrows(CancellationException.class, () -> run(method, data, settings, 5, store, event -> {
            if (event.phase().equals(phase) && event.epoch() == epoch && event.labels().isEmpty()) {
                stepsPerEpoch[0] = (int) (event.steps() / event.epochs());
                if (event.step() == (long) (epoch - 1) * stepsPerEpoch[0] + step) {
                    cancellation.cancel();
                }
            }
        }, cancellation));
        assertEquals(epoch - 1, store.checkpoint(phase).orElseThrow().epochsDone(),
                "the run stopped inside epoch " + epoch + ", after its step " + step + " of " + stepsPerEpoch[0]);
        ClassifierHead resumed = run(method, data, settings, 5, store, ProgressListener.NONE, new Cancellation());
        assertHeadsEqual(straight, resumed);
    }

    /** A method's defaults with some settings changed. */
    static Settings settings(AdaptationMethod method, String... assignments) {
        return method.info().defaults().withAssignments(List.of(assignments));
    }
}
