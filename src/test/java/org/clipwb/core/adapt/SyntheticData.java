package org.clipwb.core.adapt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.testing.Vectors;

/**
 * A small embedding world for method tests: class text directions, and images around shifted copies of them, so
 * that zero-shot is right on most images but not all, and a method that adapts to the images can do better.
 */
public final class SyntheticData {
    private SyntheticData() {
    }

    /**
     * {@code classes} classes in {@code dim} dimensions, {@code perClass} target images each; the image cluster of a
     * class sits between its text direction and a random direction, {@code shift} of the way over. The logit scale
     * is 10: these embeddings agree with their texts far more than real CLIP's, and with CLIP's 100 every zero-shot
     * prediction would be certain.
     */
    public static AdaptationData create(int classes, int dim, int perClass, double shift, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] texts = new float[classes][];
        float[][] centres = new float[classes][];
        for (int c = 0; c < classes; c++) {
            texts[c] = Vectors.unit(Vectors.gaussian(random, dim));
            float[] away = Vectors.unit(Vectors.gaussian(random, dim));
            float[] centre = new float[dim];
            for (int d = 0; d < dim; d++) {
                centre[d] = (float) ((1 - shift) * texts[c][d] + shift * away[d]);
            }
            centres[c] = Vectors.unit(centre);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class" + c);
        }
        LabeledSet target = draw(centres, perClass, noise, random, "img");
        LabeledSet test = draw(centres, perClass, noise, random, "test");
        return new AdaptationData(ClassList.parse(String.join("\n", names)), target, texts, 10f, LabeledSet.empty(), Optional.of(test));
    }

    /** Draws {@code perClass} labelled images around each centre. */
    public static LabeledSet draw(float[][] centres, int perClass, double noise, SplittableRandom random, String prefix) {
        int n = centres.length * perClass;
        List<String> keys = new ArrayList<>();
        float[][] embeddings = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % centres.length;
            float[] point = Vectors.gaussian(random, centres[c].length);
            for (int d = 0; d < point.length; d++) {
                point[d] = (float) (centres[c][d] + noise * point[d]);
            }
            embeddings[i] = Vectors.unit(point);
            labels[i] = c;
            keys.add(prefix + i + ".png");
        }
        return new LabeledSet(keys, embeddings, labels);
    }
}
