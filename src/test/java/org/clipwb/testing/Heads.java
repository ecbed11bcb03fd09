package org.clipwb.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.clipwb.core.adapt.head.ClassifierHead;

/** Comparisons of adapted classifiers in tests. */
public final class Heads {
    /**
     * How far a resumed run's parameters may lie from an uninterrupted run's. With MKL_CBWR=AUTO,STRICT the two are
     * almost always bit-identical, but about one straight run in fifty still differs in the last bits somewhere in
     * the native stack, and LLU's default regulariser amplifies that to ~1e-5; a resume that lost optimizer state or
     * replayed other batches moves parameters by orders of magnitude more.
     */
    public static final float RESUME_TOLERANCE = 1e-4f;

    private Heads() {
    }

    /** Same kind, scalars, tensor names and shapes, and values within {@link #RESUME_TOLERANCE}. */
    public static void assertSameHead(ClassifierHead expected, ClassifierHead actual) {
        assertEquals(expected.kind(), actual.kind());
        assertEquals(expected.scalars(), actual.scalars());
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
        expected.tensors().forEach((name, tensor) -> {
            assertArrayEquals(tensor.shape(), actual.tensors().get(name).shape(), name);
            assertArrayEquals(tensor.values(), actual.tensors().get(name).values(), RESUME_TOLERANCE, name);
        });
    }

    /**
     * Bit-identical runs of a method that fine-tunes the encoder: the same head tensors and the same adapted target and
     * test embeddings (a resumed image-training run replays the same batches with the same optimizer state).
     */
    public static void assertIdenticalRuns(ClassifierHead expectedHead, float[][][] expectedEmbeddings,
            ClassifierHead actualHead, float[][][] actualEmbeddings) {
        expectedHead.tensors().forEach((name, tensor) -> assertArrayEquals(tensor.values(),
                actualHead.tensors().get(name).values(), name));
        String[] sets = {"target", "test"};
        for (int set = 0; set < expectedEmbeddings.length; set++) {
            for (int i = 0; i < expectedEmbeddings[set].length; i++) {
                assertArrayEquals(expectedEmbeddings[set][i], actualEmbeddings[set][i], sets[set] + " embedding " + i);
            }
        }
    }
}
