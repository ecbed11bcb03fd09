package org.clipwb.core.adapt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;

/**
 * The saved state of a phase: its tensors (parameters, optimizer state, pseudo-labels) and small values by name,
 * the epochs it has finished, and whether the phase is complete (then the tensors are its outputs).
 */
public record Checkpoint(int epochsDone, boolean complete, Map<String, Tensor> tensors, Map<String, String> values) {

    public Checkpoint {
        tensors = Map.copyOf(tensors);
        values = Map.copyOf(values);
    }

    /** A builder for a checkpoint after {@code epochsDone} epochs. */
    public static Builder after(int epochsDone) {
        return new Builder(epochsDone);
    }

    /** A tensor that must be there. */
    public Tensor tensor(String name) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalStateException("checkpoint lacks tensor " + name + " (has " + tensors.keySet() + ")");
        }
        return tensor;
    }

    /** A value, when present. */
    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** Collects a checkpoint's parts. */
    public static final class Builder {
        private final int epochsDone;
        private final Map<String, Tensor> tensors = new LinkedHashMap<>();
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder(int epochsDone) {
            this.epochsDone = epochsDone;
        }

        /** Adds a tensor. */
        public Builder tensor(String name, Tensor tensor) {
            tensors.put(name, tensor);
            return this;
        }

        /** Adds tensors. */
        public Builder tensors(Map<String, Tensor> more) {
            tensors.putAll(more);
            return this;
        }

        /** Adds a value. */
        public Builder value(String name, Object value) {
            values.put(name, String.valueOf(value));
            return this;
        }

        /** A checkpoint of a phase still in progress. */
        public Checkpoint inProgress() {
            return new Checkpoint(epochsDone, false, tensors, values);
        }

        /** The final checkpoint of a finished phase: its outputs. */
        public Checkpoint complete() {
            return new Checkpoint(epochsDone, true, tensors, values);
        }
    }
}
