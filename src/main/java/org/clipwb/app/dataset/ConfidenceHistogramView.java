package org.clipwb.app.dataset;

import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import org.clipwb.core.analysis.ConfidenceHistogram;

/**
 * The confidence histogram with a threshold slider: bars split into right (green), wrong (red) and unlabeled (grey)
 * predictions, the threshold drawn across, and below it how many images pass and how accurate their labels are.
 * The pseudo-labelling lesson in one picture: raising the threshold keeps fewer labels, more of them right.
 */
final class ConfidenceHistogramView {
    static final Color RIGHT = Color.web("#3a9a5b");
    static final Color WRONG = Color.web("#d0533f");
    static final Color UNLABELED = Color.gray(0.65);

    private final DatasetViewModel viewModel;
    private final PlotCanvas chart;
    private final BorderPane root = new BorderPane();

    ConfidenceHistogramView(DatasetViewModel viewModel) {
        this.viewModel = viewModel;
        chart = new PlotCanvas.OfSummary(viewModel, "confidence-histogram") {
            @Override
            void draw(GraphicsContext g, double width, double height, DatasetViewModel.Summary summary) {
                drawHistogram(g, width, height, summary);
            }
        };
        Slider slider = new Slider(0, 1, viewModel.thresholdProperty().get());
        slider.setId("confidence-threshold");
        slider.setShowTickLabels(true);
        slider.setShowTickMarks(true);
        slider.setMajorTickUnit(0.1);
        slider.valueProperty().bindBidirectional(viewModel.thresholdProperty());
        HBox.setHgrow(slider, Priority.ALWAYS);
        Label coverage = new Label();
        coverage.setId("confidence-coverage");
        coverage.setWrapText(true);
        coverage.textProperty().bind(viewModel.coverageText());
        VBox controls = new VBox(4, new HBox(8, new Label("Threshold"), slider), coverage);
        controls.setPadding(new Insets(6));
        root.setCenter(chart);
        root.setBottom(controls);
        viewModel.thresholdProperty().addListener((observable, old, value) -> chart.redraw());
    }

    BorderPane node() {
        return root;
    }

    private void drawHistogram(GraphicsContext g, double width, double height, DatasetViewModel.Summary summary) {
        ConfidenceHistogram histogram = summary.histogram();
        int most = 1;
        for (int b = 0; b < histogram.binCount(); b++) {
            most = Math.max(most, histogram.count(b));
        }
        double plotHeight = height - 1.5 * PlotCanvas.MARGIN;
        double barWidth = (width - 1.5 * PlotCanvas.MARGIN) / histogram.binCount();
        for (int b = 0; b < histogram.binCount(); b++) {
            double x = PlotCanvas.unitX((double) b / histogram.binCount(), width);
            double base = height - PlotCanvas.MARGIN;
            base = stack(g, x, base, barWidth, histogram.correct(b), most, plotHeight, RIGHT);
            base = stack(g, x, base, barWidth, histogram.wrong(b), most, plotHeight, WRONG);
            stack(g, x, base, barWidth, histogram.unlabeled(b), most, plotHeight, UNLABELED);
        }
        PlotCanvas.unitAxes(g, width, height, "confidence");
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(Integer.toString(most), PlotCanvas.MARGIN - 4, height - PlotCanvas.MARGIN - plotHeight);
        g.fillText("0", PlotCanvas.MARGIN - 4, height - PlotCanvas.MARGIN);
        double x = PlotCanvas.unitX(viewModel.thresholdProperty().get(), width);
        g.setStroke(Color.web("#2a5db0"));
        g.setLineWidth(2);
        g.strokeLine(x, PlotCanvas.MARGIN / 2, x, height - PlotCanvas.MARGIN);
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(Color.web("#2a5db0"));
        g.fillText(String.format(Locale.ROOT, "≥ %.2f passes", viewModel.thresholdProperty().get()), x + 4,
                PlotCanvas.MARGIN / 2 + 6);
    }

    private static double stack(GraphicsContext g, double x, double base, double width, int count, int most,
            double plotHeight, Color colour) {
        double h = plotHeight * count / most;
        g.setFill(colour);
        g.fillRect(x + 1, base - h, Math.max(1, width - 2), h);
        return base - h;
    }
}
