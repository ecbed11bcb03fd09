package org.clipwb.app.dataset;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import org.clipwb.core.analysis.ClassCounts;

/**
 * Per-class counts as horizontal bars: images predicted as each class (light), those the run kept to train on
 * (dark, when a run is shown), and a tick at the number of images whose evaluation label is the class.
 */
final class ClassCountsView extends PlotCanvas.OfSummary {
    private static final double NAME_WIDTH = 120;
    ClassCountsView(DatasetViewModel viewModel) {
        super(viewModel, "class-counts");
    }

    @Override
    void draw(GraphicsContext g, double width, double height, DatasetViewModel.Summary summary) {
        ClassCounts counts = summary.classCounts();
        int most = 1;
        for (int c = 0; c < counts.classCount(); c++) {
            most = Math.max(most, counts.predicted()[c]);
            if (counts.labeled().isPresent()) {
                most = Math.max(most, counts.labeled().get()[c]);
            }
        }
        double rowHeight = Math.min(28, (height - MARGIN) / Math.max(1, counts.classCount()));
        double barSpace = width - NAME_WIDTH - MARGIN;
        g.setTextBaseline(VPos.CENTER);
        for (int c = 0; c < counts.classCount(); c++) {
            double y = MARGIN / 2 + c * rowHeight;
            g.setFill(AXIS);
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(summary.images().classNames().get(c), NAME_WIDTH - 6, y + rowHeight / 2, NAME_WIDTH - 8);
            double predictedWidth = barSpace * counts.predicted()[c] / most;
            g.setFill(classColour(c).deriveColor(0, 0.45, 1.1, 1));
            g.fillRect(NAME_WIDTH, y + 3, predictedWidth, rowHeight - 6);
            if (counts.kept().isPresent()) {
                g.setFill(classColour(c).darker());
                g.fillRect(NAME_WIDTH, y + 3, barSpace * counts.kept().get()[c] / most, rowHeight - 6);
            }
            if (counts.labeled().isPresent()) {
                double x = NAME_WIDTH + barSpace * counts.labeled().get()[c] / most;
                g.setStroke(Color.BLACK);
                g.setLineWidth(2);
                g.strokeLine(x, y + 1, x, y + rowHeight - 1);
            }
            g.setFill(AXIS);
            g.setTextAlign(TextAlignment.LEFT);
            String text = counts.predicted()[c] + (counts.kept().isPresent() ? " (" + counts.kept().get()[c]
                    + " kept)" : "") + (counts.labeled().isPresent() ? ", " + counts.labeled().get()[c]
                    + " labeled" : "");
            g.fillText(text, NAME_WIDTH + predictedWidth + 4, y + rowHeight / 2);
        }
    }
}
