package org.clipwb.core.adapt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.clipwb.core.describe.Described;
import org.clipwb.core.describe.DescriptionProvider;

/**
 * Where a method gets descriptions of the classes (CoFT+'s CuPL descriptions, methods.md §1.9, §4.5): a language
 * model, an imported file or the offline caption bank, through a {@link org.clipwb.core.describe.Describer} and its
 * store. Asked only by the methods that use descriptions, once per run; the answer names its provider.
 */
@FunctionalInterface
public interface ClassDescriptions {
    /** The descriptions of each class, by class name, and who wrote them. */
    Described<String, List<String>> describe(List<String> classNames) throws IOException, InterruptedException;

    /**
     * The provider behind these descriptions and the folder that keeps its answers, for methods that also ask it to
     * describe images and groups (LatteCLIP, methods.md §3.2); empty when the source has class descriptions only.
     */
    default Optional<StoredProvider> provider() {
        return Optional.empty();
    }

    /** A description provider and the folder of its {@link org.clipwb.core.describe.DescriptionStore}. */
    record StoredProvider(DescriptionProvider provider, Path folder) {
    }
}
