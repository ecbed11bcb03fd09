package org.clipwb.core.adapt;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A run's progress history, {@code progress.jsonl} in its folder: one JSON line per progress event that has steps,
 * appended as the run goes, so that a reopened window or a report can draw the run's curves. It is a log, not a
 * result: it is appended to rather than replaced atomically, and a line cut short by a crash is skipped on reading.
 * A resumed run appends the steps it repeats again; {@link #read} keeps the last report of each step.
 */
public final class ProgressLog implements AutoCloseable {
    /** The log's file in a run's folder. */
    public static final String FILE = "progress.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter writer;

    private ProgressLog(BufferedWriter writer) {
        this.writer = writer;
    }

    /** Opens the log of the run in {@code runDirectory} for appending. */
    public static ProgressLog open(Path runDirectory) throws IOException {
        Files.createDirectories(runDirectory);
        return new ProgressLog(Files.newBufferedWriter(runDirectory.resolve(FILE), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    }

    /**
     * One reported step of a phase.
     *
     * @param phase the phase's id
     * @param epoch the epoch, from 1 (0 for phases without epochs)
     * @param step the step within the phase, from 1
     * @param steps the phase's total number of steps
     * @param losses each loss term by name
     * @param learningRate the learning rate, NaN when the phase trains nothing
     * @param cleanFraction the fraction of kept labels the method believes clean, when it estimates it
     * @param accuracy the accuracy of every image's current label against the evaluation labels, when known
     * @param keptAccuracy the accuracy of the kept labels, when known
     */
    public record Point(String phase, int epoch, long step, long steps, Map<String, Double> losses,
            double learningRate, OptionalDouble cleanFraction, OptionalDouble accuracy, OptionalDouble keptAccuracy) {
        public Point {
            losses = Map.copyOf(losses);
        }

        /** The point of an event with steps. */
        public static Point of(ProgressEvent event) {
            return new Point(event.phase(), event.epoch(), event.step(), event.steps(), event.losses(),
                    event.learningRate(),
                    event.labels().map(PseudoLabelStats::estimatedCleanFraction).orElse(OptionalDouble.empty()),
                    event.labels().map(PseudoLabelStats::accuracyOfAll).orElse(OptionalDouble.empty()),
                    event.labels().map(PseudoLabelStats::accuracyOfKept).orElse(OptionalDouble.empty()));
        }
    }

    /** Appends an event with steps (messages without steps are not curves and are left out). */
    public void append(ProgressEvent event) {
        if (event.steps() <= 0) {
            return;
        }
        Point point = Point.of(event);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("phase", point.phase());
        line.put("epoch", point.epoch());
        line.put("step", point.step());
        line.put("steps", point.steps());
        Map<String, Double> finiteLosses = new LinkedHashMap<>();
        point.losses().forEach((name, value) -> {
            if (Double.isFinite(value)) {
                finiteLosses.put(name, value);
            }
        });
        line.put("losses", finiteLosses);
        putFinite(line, "lr", OptionalDouble.of(point.learningRate()));
        putFinite(line, "clean", point.cleanFraction());
        putFinite(line, "accuracy", point.accuracy());
        putFinite(line, "kept_accuracy", point.keptAccuracy());
        try {
            writer.write(JSON.writeValueAsString(line));
            writer.newLine();
            writer.flush(); // a killed run keeps every step it reported
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the run's progress log: " + e.getMessage(), e);
        }
    }

    /** The steps the run in {@code runDirectory} reported, in order, the last report of each step; none without a log. */
    public static List<Point> read(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Map<String, Point> byStep = new LinkedHashMap<>();
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Point point;
            try {
                point = parse(JSON.readValue(text, Map.class));
            } catch (IOException | RuntimeException e) {
                continue; // a line cut short when the run was killed
            }
            String key = point.phase() + "\u0000" + point.step();
            byStep.remove(key); // a repeated step moves to where it was reported last
            byStep.put(key, point);
        }
        return new ArrayList<>(byStep.values());
    }

    @SuppressWarnings("unchecked")
    private static Point parse(Map<String, Object> line) {
        Map<String, Double> losses = new LinkedHashMap<>();
        ((Map<String, Number>) line.get("losses")).forEach((name, value) -> losses.put(name, value.doubleValue()));
        return new Point((String) line.get("phase"), ((Number) line.get("epoch")).intValue(),
                ((Number) line.get("step")).longValue(), ((Number) line.get("steps")).longValue(), losses,
                optional(line, "lr").orElse(Double.NaN), optional(line, "clean"), optional(line, "accuracy"),
                optional(line, "kept_accuracy"));
    }

    private static OptionalDouble optional(Map<String, Object> line, String key) {
        Object value = line.get(key);
        return value instanceof Number number ? OptionalDouble.of(number.doubleValue()) : OptionalDouble.empty();
    }

    private static void putFinite(Map<String, Object> line, String key, OptionalDouble value) {
        if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
            line.put(key, value.getAsDouble());
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
