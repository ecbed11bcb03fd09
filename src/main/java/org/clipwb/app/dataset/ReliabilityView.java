package org.clipwb.app.dataset;

import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import org.clipwb.core.analysis.ReliabilityDiagram;

/**
 * The reliability diagram: per confidence bin, the accuracy of its predictions (bars) against the diagonal a
 * calibrated classifier would follow, with the expected calibration error. Needs evaluation labels.
 */
final class ReliabilityView extends PlotCanvas.OfSummary {
    ReliabilityView(DatasetViewModel viewModel) {
        super(viewModel, "reliability-diagram");
    }

    @Override
    void draw(GraphicsContext g, double width, double height, DatasetViewModel.Summary summary) {
        if (summary.reliability().isEmpty()) {
            message(g, width, height, "A reliability diagram needs evaluation labels: put the images in one "
                    + "subfolder per class.");
            return;
        }
        ReliabilityDiagram diagram = summary.reliability().get();
        double plotHeight = height - 1.5 * MARGIN;
        double bottom = height - MARGIN;
        for (ReliabilityDiagram.Bin bin : diagram.bins()) {
            if (bin.count() == 0) {
                continue;
            }
            double x0 = unitX(bin.lower(), width);
            double x1 = unitX(bin.upper(), width);
            double h = plotHeight * bin.accuracy();
            g.setFill(Color.web("#2a5db0", 0.75));
            g.fillRect(x0 + 1, bottom - h, x1 - x0 - 2, h);
            double gapTop = plotHeight * Math.max(bin.accuracy(), bin.meanConfidence());
            double gapBottom = plotHeight * Math.min(bin.accuracy(), bin.meanConfidence());
            g.setFill(Color.web("#d0533f", 0.35));
            g.fillRect(x0 + 1, bottom - gapTop, x1 - x0 - 2, gapTop - gapBottom);
        }
        unitAxes(g, width, height, "confidence");
        g.setStroke(Color.gray(0.5));
        g.setLineDashes(4, 4);
        g.strokeLine(unitX(0, width), bottom, unitX(1, width), bottom - plotHeight);
        g.setLineDashes();
        g.setFill(AXIS);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText("1.0", MARGIN - 4, bottom - plotHeight);
        g.fillText("0", MARGIN - 4, bottom);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(String.format(Locale.ROOT, "accuracy per bin; expected calibration error %.3f over %d images",
                diagram.expectedCalibrationError(), diagram.counted()), MARGIN + 6, MARGIN / 2 + 4);
    }
}
