package org.clipwb.core.describe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.TextEncoder;
import org.clipwb.core.zeroshot.ZeroShotClassifier;
import org.junit.jupiter.api.Test;

class CaptionBankDescriberTest {
    private static final List<String> WORDS = List.of("red", "blue", "green", "circle", "square", "star");
    private static final List<String> BANK = List.of("a red circle", "a blue square", "a green star", "a red star");

    /** A text's embedding: the normalised count of each known word in it. */
    private final List<List<String>> encoded = new ArrayList<>();
    private final TextEncoder encoder = texts -> {
        encoded.add(texts);
        return texts.stream().map(text -> vector(WORDS.stream().mapToDouble(w -> text.contains(w) ? 1 : 0)
                .toArray())).toArray(float[][]::new);
    };

    private static float[] vector(double... values) {
        double norm = Math.sqrt(Arrays.stream(values).map(v -> v * v).sum());
        float[] unit = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            unit[i] = (float) (values[i] / norm);
        }
        return unit;
    }

    /** The images to describe: one like each caption. */
    private static final float[][] IMAGES = {vector(1, 0, 0, 1, 0, 0), vector(0, 1, 0, 0, 1, 0),
        vector(0, 0, 1, 0, 0, 1), vector(1, 0, 0, 0, 0, 1)};

    private final CaptionBankDescriber describer = new CaptionBankDescriber("toy", encoder, BANK, IMAGES);

    @Test
    void eachImageGetsTheCaptionThatFitsItBest() {
        float[] blueSquarish = vector(0.1, 1, 0, 0, 0.9, 0.2);
        assertEquals(List.of("a blue square", "a red circle", "a green star", "a red star"),
                describer.describeImages(new float[][] {blueSquarish, IMAGES[0], IMAGES[2], IMAGES[3]}));
        assertEquals(List.of(BANK), encoded, "the bank is embedded once, in one batch");
    }

    @Test
    void aCaptionThatFitsEveryImageIsNotPicked() {
        // Photos of circles in three colours that the model sees as "circle" more than as their colour.
        float[][] circles = {vector(0.4, 0, 0, 1, 0, 0), vector(0, 0.4, 0, 1, 0, 0), vector(0, 0, 0.4, 1, 0, 0)};
        List<String> bank = List.of("a circle", "a red circle");
        float[][] captions = encoder.embedTexts(bank);
        assertTrue(dot(circles[0], captions[0]) > dot(circles[0], captions[1]), "plain cosine picks the vague one");

        assertEquals(List.of("a red circle"), new CaptionBankDescriber("toy", encoder, bank, circles)
                .describeImages(new float[][] {circles[0]}), "the caption that sets this image apart");
    }

    private static double dot(float[] a, float[] b) {
        return IntStream.range(0, a.length).mapToDouble(i -> a[i] * b[i]).sum();
    }

    @Test
    void aGroupGetsTheCaptionClosestToItsMeanEmbedding() {
        float[][] group = {vector(0, 0, 1, 0, 0, 1), vector(0, 0, 0.8, 0, 0.3, 1), vector(0, 1, 0, 0, 1, 0)};
        assertEquals("a green star", describer.describeGroup(group));
    }

    @Test
    void aClassGetsTheCaptionsClosestToItsZeroShotTextEmbedding() {
        ZeroShotClassifier classifier = ZeroShotClassifier.build(ClassList.parse("red\nblue"),
                PromptTemplates.single("a photo of a {} shape."), encoder, 100f);

        List<List<String>> captions = describer.describeClasses(classifier, 2);

        assertEquals(Set.of("a red circle", "a red star"), Set.copyOf(captions.get(0)));
        assertEquals("a blue square", captions.get(1).get(0));
        assertEquals(4, describer.describeClasses(classifier, 99).get(0).size(), "never more than the bank holds");
    }

    @Test
    void asAProviderItDescribesThroughEmbeddingLookups() throws Exception {
        ZeroShotClassifier classifier = ZeroShotClassifier.build(ClassList.parse("red\nblue"),
                PromptTemplates.single("a {}."), encoder, 100f);
        Path cat = Path.of("photos/green-star.jpg");
        Path dog = Path.of("photos/green-star-2.jpg");
        Map<Path, float[]> embeddings = Map.of(cat, vector(0, 0, 1, 0, 0, 1), dog, vector(0, 0, 1, 0, 0, 0.9));
        DescriptionProvider offline = describer.asProvider(classifier, embeddings::get);

        assertEquals("a green star", offline.describeImage(cat, "any prompt"));
        assertEquals("a green star", offline.describeGroup(List.of(cat, dog), "any prompt"));
        assertEquals("a blue square", offline.describeClass("blue", new DescriptionRequest(1, 0, 1)).get(0));
        assertEquals(4, offline.describeClass("Blue", DescriptionRequest.CUPL).size(), "the whole bank at most");

        String noEmbedding = assertThrows(DescriptionException.class,
                () -> offline.describeImage(Path.of("elsewhere.jpg"), "p")).getMessage();
        assertTrue(noEmbedding.contains("no embedding of elsewhere.jpg") && noEmbedding.contains("embed the folder"),
                noEmbedding);
        String noClass = assertThrows(DescriptionException.class,
                () -> offline.describeClass("green", DescriptionRequest.CUPL)).getMessage();
        assertTrue(noClass.contains("classes [red, blue], not \"green\""), noClass);
    }

    @Test
    void theIdNamesTheModelAndTheBank() {
        assertTrue(describer.id().matches("offline caption bank \\(4 captions [0-9a-f]{8}, model toy\\)"),
                describer.id());
        assertNotEquals(describer.id(), new CaptionBankDescriber("toy", encoder, BANK.subList(0, 3), IMAGES).id());
        assertNotEquals(describer.id(), new CaptionBankDescriber("toy", encoder, List.of("a", "b", "c", "d"), IMAGES).id(),
                "the same size with other captions is another bank");
    }
}
