package org.clipwb.core.zeroshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeroShotClassifierTest {
    /** Each prompt maps to a fixed unit vector, so the expected numbers can be worked out by hand. */
    private static final Map<String, float[]> VECTORS = Map.of(
            "a cat.", new float[] {1, 0, 0},
            "art of a cat.", new float[] {0, 1, 0},
            "a dog.", new float[] {0, 0, 1},
            "art of a dog.", new float[] {0, 0, 1});

    @TempDir
    Path temp;

    private final List<List<String>> calls = new ArrayList<>();
    private final TextEncoder encoder = texts -> {
        calls.add(texts);
        return texts.stream().map(VECTORS::get).toArray(float[][]::new);
    };

    @Test
    void ensembleIsTheRenormalisedMeanOfNormalisedPromptEmbeddings() throws Exception {
        ClassList classes = ClassList.parse("cat\ndog");
        PromptTemplates templates = PromptTemplates.resolve("a {}.");
        ZeroShotClassifier single = ZeroShotClassifier.build(classes, templates, encoder, 100f);
        assertArrayEquals(new float[] {1, 0, 0}, single.classWeights()[0], 1e-6f);

        Path file = temp.resolve("templates.txt");
        Files.writeString(file, "a {}.\nart of a {}.\n");
        ZeroShotClassifier ensemble = ZeroShotClassifier.build(classes, PromptTemplates.read(file), encoder, 100f);
        float s = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {s, s, 0}, ensemble.classWeights()[0], 1e-6f);
        assertArrayEquals(new float[] {0, 0, 1}, ensemble.classWeights()[1], 1e-6f);
        assertEquals(List.of("a cat.", "art of a cat.", "a dog.", "art of a dog."), calls.get(1),
                "all prompts are embedded in one batch, class by class");
    }

    @Test
    void probabilitiesConfidenceMarginAndTopK() throws Exception {
        ZeroShotClassifier classifier = ZeroShotClassifier.build(ClassList.parse("cat\ndog"),
                PromptTemplates.resolve("a {}."), encoder, 10f);
        float c = (float) Math.sqrt(0.5);
        List<Prediction> predictions = classifier.classify(new float[][] {{1, 0, 0}, {0, c, c}, {0.6f, 0, 0.8f}});
        // logits (10, 0) → p = (1/(1+e^-10), ...)
        double p0 = 1 / (1 + Math.exp(-10));
        assertEquals(0, predictions.get(0).predicted());
        assertEquals(p0, predictions.get(0).confidence(), 1e-6);
        assertEquals(p0 - (1 - p0), predictions.get(0).margin(), 1e-6);
        assertEquals(1, predictions.get(1).predicted());
        // logits (6, 8): dog wins with 1/(1+e^-2)
        Prediction third = predictions.get(2);
        assertArrayEquals(new int[] {1, 0}, third.topK(2));
        assertEquals(1 / (1 + Math.exp(-2)), third.confidence(), 1e-6);
        assertEquals(1.0, third.probabilities()[0] + third.probabilities()[1], 1e-6);
    }
}
