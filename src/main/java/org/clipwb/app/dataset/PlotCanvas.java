package org.clipwb.app.dataset;

import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;

/**
 * A canvas that fills its pane and redraws itself when resized: every dataset chart draws on one, so that a chart
 * of 20,000 images costs one node, not 20,000.
 */
abstract class PlotCanvas extends Pane {
    static final double MARGIN = 36;
    static final Color AXIS = Color.gray(0.35);

    final Canvas canvas = new Canvas();

    PlotCanvas() {
        getChildren().add(canvas);
        setMinSize(160, 120);
        setPrefSize(480, 320);
    }

    @Override
    protected void layoutChildren() {
        // The canvas takes the pane's new size here, after the pane's own size changed, and only then is redrawn.
        if (canvas.getWidth() != getWidth() || canvas.getHeight() != getHeight()) {
            canvas.setWidth(getWidth());
            canvas.setHeight(getHeight());
            redraw();
        }
    }

    /** Draws the chart again from its data. */
    final void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        if (canvas.getWidth() > 2 * MARGIN && canvas.getHeight() > 2 * MARGIN) {
            draw(g, canvas.getWidth(), canvas.getHeight());
        }
    }

    /** Draws the chart on a cleared canvas of {@code width} × {@code height}. */
    abstract void draw(GraphicsContext g, double width, double height);

    /** The x-axis from 0 to 1 with ticks every 0.2, and a y-axis line. */
    static void unitAxes(GraphicsContext g, double width, double height, String xTitle) {
        g.setStroke(AXIS);
        g.setFill(AXIS);
        g.setLineWidth(1);
        g.strokeLine(MARGIN, height - MARGIN, width - MARGIN / 2, height - MARGIN);
        g.strokeLine(MARGIN, MARGIN / 2, MARGIN, height - MARGIN);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        for (int tick = 0; tick <= 5; tick++) {
            double x = MARGIN + tick / 5.0 * (width - 1.5 * MARGIN);
            g.strokeLine(x, height - MARGIN, x, height - MARGIN + 4);
            g.fillText(String.format(Locale.ROOT, "%.1f", tick / 5.0), x, height - MARGIN + 6);
        }
        g.fillText(xTitle, (width + MARGIN / 2) / 2, height - MARGIN / 2 + 2);
    }

    /** A line of text centred on the canvas, in place of a chart that cannot be drawn. */
    static void message(GraphicsContext g, double width, double height, String text) {
        g.setFill(AXIS);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(text, width / 2, height / 2, width - 20);
    }

    /** The x position of a value in [0, 1] on {@link #unitAxes}. */
    static double unitX(double value, double width) {
        return MARGIN + value * (width - 1.5 * MARGIN);
    }

    /** A chart of the dataset view-model's summary: redrawn when it changes, blank while there is none. */
    abstract static class OfSummary extends PlotCanvas {
        private final DatasetViewModel viewModel;

        OfSummary(DatasetViewModel viewModel, String id) {
            this.viewModel = viewModel;
            setId(id);
            viewModel.summaryProperty().addListener((observable, old, value) -> redraw());
        }

        @Override
        final void draw(GraphicsContext g, double width, double height) {
            DatasetViewModel.Summary summary = viewModel.summaryProperty().get();
            if (summary != null) {
                draw(g, width, height, summary);
            }
        }

        /** Draws {@code summary}. */
        abstract void draw(GraphicsContext g, double width, double height, DatasetViewModel.Summary summary);
    }

    /** A distinct colour per class: hues spaced by the golden angle. */
    static Color classColour(int label) {
        return Color.hsb((label * 137.508) % 360, 0.7, 0.85);
    }

    /** Red (0) through amber to green (1); grey for NaN. */
    static Color scaleColour(double value) {
        if (Double.isNaN(value)) {
            return Color.gray(0.7);
        }
        return Color.hsb(120 * Math.max(0, Math.min(1, value)), 0.75, 0.8);
    }
}
