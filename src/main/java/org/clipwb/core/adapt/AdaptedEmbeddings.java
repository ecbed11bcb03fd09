package org.clipwb.core.adapt;

import java.util.Optional;

/**
 * The normalised embeddings of the target and test images by a method's adapted image encoder, in the order of the
 * data's keys. A method that changes the encoder hands them to {@link RunContext#useAdaptedEmbeddings}, and the
 * run's predictions and accuracies are made on them instead of the frozen model's.
 */
public record AdaptedEmbeddings(float[][] target, Optional<float[][]> test) {
}
