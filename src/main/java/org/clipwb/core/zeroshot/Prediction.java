package org.clipwb.core.zeroshot;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * One image's zero-shot result: the class probabilities (softmax of the scaled cosine similarities), the
 * predicted class, its probability (confidence) and the margin over the runner-up.
 */
public record Prediction(float[] probabilities) {

    /** Index of the most probable class. */
    public int predicted() {
        return topK(1)[0];
    }

    /** Probability of the predicted class. */
    public float confidence() {
        return probabilities[predicted()];
    }

    /** Top-1 minus top-2 probability: near zero means CLIP hesitates between two classes. */
    public float margin() {
        int[] top = topK(2);
        return top.length < 2 ? probabilities[top[0]] : probabilities[top[0]] - probabilities[top[1]];
    }

    /** The {@code k} most probable classes, most probable first (ties broken by class order). */
    public int[] topK(int k) {
        return IntStream.range(0, probabilities.length).boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> -probabilities[c]).thenComparingInt(c -> c))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Prediction p && Arrays.equals(probabilities, p.probabilities);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(probabilities);
    }

    @Override
    public String toString() {
        return "Prediction" + Arrays.toString(probabilities);
    }
}
