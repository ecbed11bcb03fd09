package org.clipwb.core.adapt;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a phase reports while it works, to any {@link ProgressListener}: where it is, its speed, each loss term, the
 * learning rate, the time left, and how its pseudo-labels stand.
 *
 * @param phase the phase's id, e.g. {@code phase1}
 * @param epoch the epoch in progress, from 1; 0 for phases without epochs
 * @param epochs the phase's number of epochs; 0 for phases without epochs
 * @param step the step within the phase, from 1 (0 before the first)
 * @param steps the phase's total number of steps
 * @param imagesPerSecond throughput over the recent steps; 0 when unknown
 * @param losses each loss term by name (e.g. {@code cls}, {@code neg}, {@code total}), empty for phases that train nothing
 * @param learningRate the learning rate of the step; NaN for phases that train nothing
 * @param eta the estimated time left in the phase, when known
 * @param labels pseudo-label statistics, when the phase has pseudo-labels
 * @param message a short line for a log ("phase 1: epoch 3 of 10")
 */
public record ProgressEvent(String phase, int epoch, int epochs, long step, long steps, double imagesPerSecond,
        Map<String, Double> losses, double learningRate, Optional<Duration> eta, Optional<PseudoLabelStats> labels,
        String message) {

    public ProgressEvent {
        losses = Map.copyOf(losses);
    }

    /** An event that only says something, for phases without steps (e.g. "clustering 1,200 anchors"). */
    public static ProgressEvent message(String phase, String message) {
        return new ProgressEvent(phase, 0, 0, 0, 0, 0, Map.of(), Double.NaN, Optional.empty(), Optional.empty(),
                message);
    }

    /** The fraction of the phase done, 0 to 1. */
    public double fractionDone() {
        return steps <= 0 ? 0 : Math.min(1, (double) step / steps);
    }
}
