package org.clipwb.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.util.CsvTable;
import org.clipwb.core.zeroshot.Prediction;

/** The predictions CSV of {@code zero-shot} and {@code adapt}: path, prediction, confidence, margin, one column per class. */
final class PredictionsCsv {
    private PredictionsCsv() {
    }

    /** Writes one row per image, atomically. */
    static void write(Path out, List<String> classNames, List<String> paths, List<Prediction> predictions)
            throws IOException {
        List<String> header = new ArrayList<>(List.of("path", "prediction", "confidence", "margin"));
        header.addAll(classNames);
        CsvTable.write(out, header, sink -> {
            for (int i = 0; i < predictions.size(); i++) {
                Prediction prediction = predictions.get(i);
                List<String> row = new ArrayList<>();
                row.add(paths.get(i));
                row.add(classNames.get(prediction.predicted()));
                row.add(Float.toString(prediction.confidence()));
                row.add(Float.toString(prediction.margin()));
                for (float probability : prediction.probabilities()) {
                    row.add(Float.toString(probability));
                }
                sink.row(row);
            }
        });
    }
}
