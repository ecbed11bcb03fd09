package org.clipwb.core.zeroshot;

import java.util.List;

/** Anything that turns texts into L2-normalised embeddings (a CLIP text tower). */
@FunctionalInterface
public interface TextEncoder {
    /** One normalised embedding per text, in order. */
    float[][] embedTexts(List<String> texts);
}
