package org.clipwb.core.adapt.images;

import java.util.SplittableRandom;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.image.RgbImage;

/** Turns a decoded image into the model's input: normalised float CHW at the model's crop size. */
@FunctionalInterface
public interface ImageTransform {
    /**
     * Writes {@code image}, transformed with draws from {@code random}, into {@code dst[offset ..]} (the preprocessor's
     * {@link ClipPreprocessor#tensorLength()} floats).
     */
    void write(RgbImage image, SplittableRandom random, float[] dst, int offset);

    /** The model's own preprocessing, without randomness: how images are classified and embedded. */
    static ImageTransform evaluation(ClipPreprocessor preprocessor) {
        return (image, random, dst, offset) -> preprocessor.toTensor(image, dst, offset);
    }
}
