package org.clipwb.core.adapt;

import java.util.OptionalDouble;

/**
 * How a phase's pseudo-labels stand.
 *
 * @param kept how many images carry a pseudo-label the phase trains on
 * @param total how many images there are
 * @param estimatedCleanFraction the fraction of kept labels the method itself believes clean (CoFT's p_clean), when it
 *     has such an estimate
 * @param accuracyOfKept the accuracy of the kept labels against the folder's evaluation labels, when it has them;
 *     reported only, never used by a method
 * @param accuracyOfAll the accuracy of the current prediction for every image against the evaluation labels
 */
public record PseudoLabelStats(int kept, int total, OptionalDouble estimatedCleanFraction,
        OptionalDouble accuracyOfKept, OptionalDouble accuracyOfAll) {
}
