package org.clipwb.core.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.model.SafetensorsFile;
import org.clipwb.core.model.SafetensorsWriter;

/**
 * The per-image signals of a run, one file per phase ({@code signals/<phase>.safetensors}), written when the phase
 * completes and readable at any time after: the one API through which the CLI and the window inspect a run.
 */
public final class RunSignals {
    private static final String ORDER_KEY = "clipwb.order";
    private static final String EXTRA_PREFIX = "extra.";

    private final Path directory;

    /** The signals of the run in {@code runDirectory}. */
    public RunSignals(Path runDirectory) {
        this.directory = runDirectory.resolve("signals");
    }

    /** Saves a phase's signals atomically, replacing earlier ones of that phase. */
    public void save(PhaseSignals signals) throws IOException {
        Files.createDirectories(directory);
        int n = signals.size();
        float[] predicted = new float[n];
        float[] kept = new float[n];
        for (int i = 0; i < n; i++) {
            predicted[i] = signals.predicted()[i];
            kept[i] = signals.kept()[i] ? 1 : 0;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = new TreeMap<>();
            arrays.put("predicted", manager.create(predicted));
            arrays.put("confidence", manager.create(signals.confidence()));
            arrays.put("kept", manager.create(kept));
            signals.extras().forEach((name, tensor) -> arrays.put(EXTRA_PREFIX + name, tensor.toArray(manager)));
            SafetensorsWriter.write(directory.resolve(signals.phase() + ".safetensors"), arrays,
                    Map.of("format", "pt", ORDER_KEY, Integer.toString(signals.order())));
        }
    }

    /** Every saved phase's signals, in run order. */
    public List<PhaseSignals> phases() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<PhaseSignals> phases = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".safetensors")).toList()) {
                phases.add(read(file));
            }
        }
        phases.sort(Comparator.comparingInt(PhaseSignals::order));
        return phases;
    }

    /** One image's pseudo-label history: its label, confidence and whether it was kept, phase by phase. */
    public List<ImageStep> history(int image) throws IOException {
        return phases().stream().map(p -> new ImageStep(p.phase(), p.predicted()[image], p.confidence()[image],
                p.kept()[image])).toList();
    }

    /** One phase's verdict on one image. */
    public record ImageStep(String phase, int label, float confidence, boolean kept) {
    }

    private static PhaseSignals read(Path file) throws IOException {
        String name = file.getFileName().toString();
        String phase = name.substring(0, name.length() - ".safetensors".length());
        try (SafetensorsFile safetensors = SafetensorsFile.open(file); NDManager manager = NDManager.newBaseManager()) {
            // Checked first, so that a foreign file is called that rather than a signals file lacking a tensor.
            String order = safetensors.metadata().get(ORDER_KEY);
            if (order == null) {
                throw new IOException(file + " is not a workbench signals file (no " + ORDER_KEY + ")");
            }
            float[] predicted = safetensors.read("predicted", manager).toFloatArray();
            float[] confidence = safetensors.read("confidence", manager).toFloatArray();
            float[] keptValues = safetensors.read("kept", manager).toFloatArray();
            int[] labels = new int[predicted.length];
            boolean[] kept = new boolean[predicted.length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (int) predicted[i];
                kept[i] = keptValues[i] != 0;
            }
            Map<String, Tensor> extras = new LinkedHashMap<>();
            for (String tensor : safetensors.tensors().keySet()) {
                if (tensor.startsWith(EXTRA_PREFIX)) {
                    NDArray array = safetensors.read(tensor, manager);
                    extras.put(tensor.substring(EXTRA_PREFIX.length()),
                            new Tensor(array.toFloatArray(), array.getShape().getShape()));
                }
            }
            return new PhaseSignals(phase, Integer.parseInt(order), labels, confidence, kept, extras);
        }
    }
}
