package org.clipwb.core.project;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A run as the project catalog knows it.
 *
 * @param id the run's id, also its folder name under the project's {@code runs/}
 * @param method the method's id, e.g. {@code llu}
 * @param seed the seed every random choice derives from
 * @param status {@link Status}
 * @param created when the run was created
 * @param finished when it ended (done, failed or cancelled), if it has
 * @param settings the method's settings in text form
 * @param inputs what the run adapted from: model, image folder, classes, templates, shots, test images, device
 * @param metrics accuracies and timings by name, e.g. {@code target.accuracy}, {@code target.zero_shot_accuracy}
 * @param message the last error or note, empty when none
 */
public record RunRecord(String id, String method, long seed, Status status, Instant created,
        Optional<Instant> finished, Map<String, String> settings, Map<String, String> inputs,
        Map<String, Double> metrics, String message) {
    /** Input: the model spec (demo, a hub id or a folder). */
    public static final String INPUT_MODEL = "model";
    /** Input: the folder of target images. */
    public static final String INPUT_IMAGES = "images";
    /** Input: the class list file. */
    public static final String INPUT_CLASSES = "classes";
    /** Input: the prompt templates (a name, a file or one template). */
    public static final String INPUT_TEMPLATES = "templates";
    /** Input: the labeled shots (CSV or class folders), when given. */
    public static final String INPUT_SHOTS = "shots";
    /** Input: the held-out test folder, when given. */
    public static final String INPUT_TEST_IMAGES = "test_images";
    /** Input: where class descriptions come from (offline, a JSON file, ollama:MODEL[@URL]), when given. */
    public static final String INPUT_DESCRIPTIONS = "descriptions";

    public RunRecord {
        settings = Map.copyOf(settings);
        inputs = Map.copyOf(inputs);
        metrics = Map.copyOf(metrics);
    }

    /** Where a run stands. */
    public enum Status {
        /** Started and not ended; a killed run stays here until it is resumed. */
        RUNNING,
        /** Stopped on request; resumable. */
        CANCELLED,
        /** Stopped by an error; resumable once the cause is fixed. */
        FAILED,
        /** Finished. */
        DONE
    }

    /** This run with another status, end time, metrics and message. */
    public RunRecord ended(Status newStatus, Instant when, Map<String, Double> newMetrics, String newMessage) {
        return new RunRecord(id, method, seed, newStatus, created, Optional.of(when), settings, inputs, newMetrics,
                newMessage);
    }

    /** This run marked as running again (resumed). */
    public RunRecord resumed() {
        return new RunRecord(id, method, seed, Status.RUNNING, created, Optional.empty(), settings, inputs, metrics, "");
    }
}
