package org.clipwb.core.adapt;

import java.io.IOException;
import org.clipwb.core.adapt.head.ClassifierHead;

/**
 * An annotation-free adaptation method: a sequence of phases with typed settings, run through a {@link RunContext}
 * that checkpoints each phase and reports progress. Given the same data, settings and seed, a method produces the
 * same pseudo-labels and the same classifier, whether it ran straight through or was stopped and resumed.
 */
public interface AdaptationMethod {
    /** The method's id, title, paper, phases and settings. */
    MethodInfo info();

    /**
     * Whether the method, with {@code settings}, asks for descriptions ({@link AdaptationData#withDescriptions},
     * {@link DescriptionSources}), so that the window asks for a descriptions source.
     */
    default boolean usesDescriptions(Settings settings) {
        return false;
    }

    /** Runs (or resumes) every phase and returns the adapted classifier of normalised image embeddings. */
    ClassifierHead adapt(RunContext context) throws IOException;
}
