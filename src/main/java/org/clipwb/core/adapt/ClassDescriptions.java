package org.clipwb.core.adapt;

import java.io.IOException;
import java.util.List;
import org.clipwb.core.describe.Described;

/**
 * Where a method gets descriptions of the classes (CoFT+'s CuPL descriptions, methods.md §1.9, §4.5): a language
 * model, an imported file or the offline caption bank, through a {@link org.clipwb.core.describe.Describer} and its
 * store. Asked only by the methods that use descriptions, once per run; the answer names its provider.
 */
@FunctionalInterface
public interface ClassDescriptions {
    /** The descriptions of each class, by class name, and who wrote them. */
    Described<String, List<String>> describe(List<String> classNames) throws IOException, InterruptedException;
}
