package org.clipwb.core.adapt;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.util.Optional;

/**
 * Everything a method runs with: the data, its settings and seed, where its checkpoints and signals go, whom to tell
 * about progress, and how it is asked to stop. {@link #phase} runs a phase once: a phase that completed in an earlier
 * attempt is not run again, its saved outputs are returned.
 */
public final class RunContext {
    private final AdaptationData data;
    private final Settings settings;
    private final long seed;
    private final RunStore store;
    private final RunSignals signals;
    private final ProgressListener listener;
    private final Cancellation cancellation;
    private final Device device;

    /** A context whose training runs on the engine's default device (a GPU when there is one). */
    public RunContext(AdaptationData data, Settings settings, long seed, RunStore store, ProgressListener listener,
            Cancellation cancellation) {
        this(data, settings, seed, store, listener, cancellation, Engine.getInstance().defaultDevice());
    }

    /** A context whose trainable phases run on {@code device}. */
    public RunContext(AdaptationData data, Settings settings, long seed, RunStore store, ProgressListener listener,
            Cancellation cancellation, Device device) {
        this.device = device;
        this.data = data;
        this.settings = settings;
        this.seed = seed;
        this.store = store;
        this.signals = new RunSignals(store.directory());
        this.listener = listener;
        this.cancellation = cancellation;
    }

    /** A phase's work: computes its outputs, saving its state after each epoch through the context. */
    @FunctionalInterface
    public interface PhaseBody {
        /** Runs the phase (from {@link PhaseContext#resumeFrom()} when set) and returns its outputs. */
        Checkpoint.Builder run(PhaseContext context) throws IOException;
    }

    /**
     * Runs a phase, or returns its outputs when an earlier attempt completed it. The outputs are saved as the
     * phase's final checkpoint before this returns.
     */
    public Checkpoint phase(String id, PhaseBody body) throws IOException {
        Optional<Checkpoint> saved = store.checkpoint(id);
        if (saved.isPresent() && saved.get().complete()) {
            listener.onProgress(ProgressEvent.message(id, id + ": already done, resumed from its checkpoint"));
            return saved.get();
        }
        cancellation.check();
        Checkpoint outputs = body.run(new PhaseContext(id, this, saved)).complete();
        store.save(id, outputs);
        return outputs;
    }

    /** Records what a phase concluded about each target image. */
    public void recordSignals(PhaseSignals phaseSignals) throws IOException {
        signals.save(phaseSignals);
    }

    /** The data. */
    public AdaptationData data() {
        return data;
    }

    /** The method's settings. */
    public Settings settings() {
        return settings;
    }

    /** The run's seed: every random choice derives from it. */
    public long seed() {
        return seed;
    }

    /** The run's checkpoint store. */
    public RunStore store() {
        return store;
    }

    /** The progress listener. */
    public ProgressListener listener() {
        return listener;
    }

    /** Where trainable phases run: every manager a method creates for training belongs on this device. */
    public Device device() {
        return device;
    }

    /** The run's cancellation. */
    public Cancellation cancellation() {
        return cancellation;
    }
}
