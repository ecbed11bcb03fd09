package org.clipwb.core.adapt.train;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.adapt.PhaseContext;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.PseudoLabelStats;

/**
 * The progress events of a training phase: one after every step (its batch's losses) and one at the end of every
 * epoch (the epoch's mean losses and the pseudo-label statistics), with speed and time left measured over this
 * attempt's steps.
 */
public final class PhaseProgress {
    private final PhaseContext phase;
    private final String learningRateKey;
    private final int epochs;
    private final long totalSteps;
    private final long started = System.nanoTime();
    private long step;
    private long stepsThisAttempt;
    private long imagesThisAttempt;

    /**
     * @param stepsBefore steps an earlier attempt finished (a resumed phase starts after them)
     * @param learningRateKey the setting that lowers the phase's learning rate, named when training diverges
     */
    public PhaseProgress(PhaseContext phase, int epochs, long totalSteps, long stepsBefore, String learningRateKey) {
        this.phase = phase;
        this.learningRateKey = learningRateKey;
        this.epochs = epochs;
        this.totalSteps = totalSteps;
        this.step = stepsBefore;
    }

    /** Reports a finished step of epoch {@code epoch} (from 0) on {@code images} images. */
    public void step(int epoch, int images, Map<String, Double> losses, double rate) {
        step++;
        stepsThisAttempt++;
        imagesThisAttempt += images;
        phase.report(event(epoch, losses, rate, Optional.empty(), String.format(java.util.Locale.ROOT,
                "%s epoch %d of %d, step %d of %d", phase.phase(), epoch + 1, epochs, step, totalSteps)));
    }

    /**
     * Reports the end of epoch {@code epoch} (from 0).
     *
     * @throws IllegalStateException when a loss is not finite: training diverged (the caller saves the epoch after)
     */
    public void epoch(int epoch, Map<String, Double> losses, double rate, PseudoLabelStats labels, String message) {
        phase.report(event(epoch, losses, rate, Optional.of(labels), message));
        losses.forEach((name, value) -> {
            if (!Double.isFinite(value)) {
                throw new IllegalStateException(phase.phase() + " diverged: loss " + name + " is " + value + " in epoch "
                        + (epoch + 1) + " at learning rate " + rate + "; lower the phase's learning rate (--set "
                        + learningRateKey + "=…)");
            }
        });
    }

    private ProgressEvent event(int epoch, Map<String, Double> losses, double rate, Optional<PseudoLabelStats> labels,
            String message) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        Optional<Duration> eta = stepsThisAttempt == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(
                (long) (elapsed / stepsThisAttempt * (totalSteps - step) * 1000)));
        return new ProgressEvent(phase.phase(), epoch + 1, epochs, step, totalSteps,
                elapsed > 0 ? imagesThisAttempt / elapsed : 0, losses, rate, eta, labels, message);
    }
}
