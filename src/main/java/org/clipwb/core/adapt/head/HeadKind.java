package org.clipwb.core.adapt.head;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;

/** The kinds of classifier head: the word {@code head.json} saves for each, and how {@link HeadFiles} restores it. */
enum HeadKind {
    COSINE("cosine", CosineHead.class, CosineHead::restore),
    LINEAR("linear", LinearHead.class, (tensors, scalars) -> LinearHead.restore(tensors)),
    LLU("llu", LluHead.class, LluHead::restore),
    TIP_ADAPTER("tip-adapter", TipAdapterHead.class, TipAdapterHead::restore),
    CLIP_ADAPTER("clip-adapter", ClipAdapterHead.class, ClipAdapterHead::restore);

    private final String word;
    private final Class<? extends ClassifierHead> type;
    private final BiFunction<Map<String, Tensor>, Map<String, Double>, ClassifierHead> restore;

    HeadKind(String word, Class<? extends ClassifierHead> type,
            BiFunction<Map<String, Tensor>, Map<String, Double>, ClassifierHead> restore) {
        this.word = word;
        this.type = type;
        this.restore = restore;
    }

    /** The word saved for this kind. */
    String word() {
        return word;
    }

    /** A head of this kind from its saved tensors and scalars. */
    ClassifierHead restore(Map<String, Tensor> tensors, Map<String, Double> scalars) {
        return restore.apply(tensors, scalars);
    }

    /** The kind of {@code head}. */
    static HeadKind of(ClassifierHead head) {
        return Arrays.stream(values()).filter(kind -> kind.type == head.getClass()).findFirst()
                .orElseThrow(() -> new IllegalStateException(head.getClass() + " is not a known classifier kind"));
    }

    /** The kind saved as {@code word}, if any. */
    static Optional<HeadKind> named(String word) {
        return Arrays.stream(values()).filter(kind -> kind.word.equals(word)).findFirst();
    }

    /** The known words, for an error message. */
    static String known() {
        return Arrays.stream(values()).map(HeadKind::word).collect(Collectors.joining(", "));
    }
}
