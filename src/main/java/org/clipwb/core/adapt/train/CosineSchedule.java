package org.clipwb.core.adapt.train;

/**
 * A learning rate that warms up, then follows a half cosine from {@code base} to 0 over the remaining steps. The
 * warm-up is either constant at {@code warmupRate} (CoOp's one epoch at 1e-5) or linear from 0 to {@code base}
 * (OpenCLIP's {@code cosine_lr}, used by LatteCLIP and FLYP).
 */
public record CosineSchedule(double base, long totalSteps, long warmupSteps, double warmupRate, boolean linearWarmup) {

    /** A plain cosine decay with no warm-up. */
    public static CosineSchedule of(double base, long totalSteps) {
        return new CosineSchedule(base, totalSteps, 0, 0, false);
    }

    /** The rate at step {@code step} (from 0). */
    public double rate(long step) {
        if (step < warmupSteps) {
            return linearWarmup ? base * (step + 1) / warmupSteps : warmupRate;
        }
        long span = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1, (double) (step - warmupSteps) / span);
        return 0.5 * (1 + Math.cos(Math.PI * progress)) * base;
    }
}
