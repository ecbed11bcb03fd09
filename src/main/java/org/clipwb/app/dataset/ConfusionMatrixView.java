package org.clipwb.app.dataset;

import java.util.List;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import org.clipwb.core.analysis.ConfusionMatrix;

/**
 * The confusion matrix as a heat map: rows are evaluation labels, columns predictions, each cell shaded by the
 * fraction of its row and labelled with its count. Needs evaluation labels.
 */
final class ConfusionMatrixView extends PlotCanvas.OfSummary {
    private static final double LABEL_SPACE = 110;

    ConfusionMatrixView(DatasetViewModel viewModel) {
        super(viewModel, "confusion-matrix");
    }

    @Override
    void draw(GraphicsContext g, double width, double height, DatasetViewModel.Summary summary) {
        if (summary.confusion().isEmpty()) {
            message(g, width, height, "A confusion matrix needs evaluation labels: put the images in one subfolder "
                    + "per class.");
            return;
        }
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        ConfusionMatrix matrix = summary.confusion().get();
        List<String> names = summary.images().classNames();
        int c = matrix.classCount();
        double cell = Math.min((width - LABEL_SPACE - 8) / c, (height - LABEL_SPACE / 2 - 24) / c);
        double left = LABEL_SPACE;
        double top = LABEL_SPACE / 2;
        for (int truth = 0; truth < c; truth++) {
            for (int predicted = 0; predicted < c; predicted++) {
                double fraction = matrix.rowFraction(truth, predicted);
                double x = left + predicted * cell;
                double y = top + truth * cell;
                g.setFill(Double.isNaN(fraction) ? Color.gray(0.95)
                        : Color.web(truth == predicted ? "#3a9a5b" : "#d0533f", 0.08 + 0.92 * fraction));
                g.fillRect(x, y, cell - 1, cell - 1);
                if (cell >= 18) {
                    g.setFill(fraction > 0.6 ? Color.WHITE : Color.BLACK);
                    g.fillText(Integer.toString(matrix.count(truth, predicted)), x + cell / 2, y + cell / 2);
                }
            }
        }
        g.setFill(AXIS);
        for (int k = 0; k < c; k++) {
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(names.get(k), left - 6, top + k * cell + cell / 2, LABEL_SPACE - 10);
            g.setTextAlign(TextAlignment.CENTER);
            g.fillText(names.get(k), left + k * cell + cell / 2, top - 10, cell - 2);
        }
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(String.format(Locale.ROOT, "rows: evaluation label, columns: prediction; accuracy %.1f%% of %d",
                100 * matrix.accuracy(), matrix.total()), left, top + c * cell + 12);
    }
}
