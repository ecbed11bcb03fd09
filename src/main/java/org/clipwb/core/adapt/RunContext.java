package org.clipwb.core.adapt;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final EpochCheckpoints epochCheckpoints;
    private final ProgressListener listener;
    private final Cancellation cancellation;
    private final Device device;
    private AdaptedEmbeddings adaptedEmbeddings;
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

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
        this.epochCheckpoints = new EpochCheckpoints(store);
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
        Checkpoint outputs;
        try {
            outputs = body.run(new PhaseContext(id, this, saved)).complete();
        } catch (IOException | RuntimeException | Error e) {
            // A cancelled or failed phase leaves its last finished epoch on disk, for a resume.
            try {
                epochCheckpoints.flush();
            } catch (IOException | RuntimeException flushFailure) {
                e.addSuppressed(flushFailure);
            }
            throw e;
        }
        epochCheckpoints.flush();
        store.save(id, outputs);
        return outputs;
    }

    /** Queues a phase's end-of-epoch state to be written by the checkpoint thread. */
    void saveEpoch(String phase, Checkpoint state) throws IOException {
        epochCheckpoints.save(phase, state);
    }

    /** Records what a phase concluded about each target image. */
    public void recordSignals(PhaseSignals phaseSignals) throws IOException {
        signals.save(phaseSignals);
    }

    /**
     * Makes the run's predictions on embeddings by the method's adapted image encoder instead of the data's (a method
     * that fine-tunes the encoder calls this before it returns its classifier).
     */
    public void useAdaptedEmbeddings(AdaptedEmbeddings embeddings) {
        this.adaptedEmbeddings = embeddings;
    }

    /** The adapted encoder's embeddings, when the method changed the encoder. */
    public Optional<AdaptedEmbeddings> adaptedEmbeddings() {
        return Optional.ofNullable(adaptedEmbeddings);
    }

    /**
     * Records a number the method measured about its run (e.g. how many pseudo-labels it retained), kept with the
     * run's accuracies; one measured against evaluation labels is for the report only.
     */
    public void putMetric(String name, double value) {
        metrics.put(name, value);
    }

    /** The numbers the method recorded, in the order it recorded them. */
    public Map<String, Double> metrics() {
        return Map.copyOf(metrics);
    }

    /** Adds a line to the run's note, e.g. which provider wrote the class descriptions it used. */
    public void addNote(String note) {
        notes.add(note);
    }

    /** The method's notes, in order. */
    public List<String> notes() {
        return List.copyOf(notes);
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
