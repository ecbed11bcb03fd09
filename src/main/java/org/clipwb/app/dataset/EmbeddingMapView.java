package org.clipwb.app.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.paint.Color;

/**
 * The 2-D embedding map on one canvas (20,000 points draw in milliseconds; no node per point): PCA or t-SNE,
 * coloured by class, confidence, CoFT's clean/noisy verdict or LLU's α. A click opens the nearest image in the
 * inspector; dragging draws a lasso whose images become the gallery's selection.
 */
final class EmbeddingMapView {
    private static final double POINT = 4;
    private static final double CLICK_RADIUS = 8;
    private static final double CLICK_TRAVEL = 5;

    private final DatasetViewModel viewModel;
    private final BorderPane root = new BorderPane();
    private final PlotCanvas chart = new PlotCanvas() {
        @Override
        void draw(GraphicsContext g, double width, double height) {
            drawMap(g, width, height);
        }
    };
    private final ChoiceBox<MapColouring> colouring = new ChoiceBox<>();
    private double[] screenX = new double[0];
    private double[] screenY = new double[0];
    private final List<double[]> lasso = new ArrayList<>();
    private boolean[] selected = new boolean[0];

    EmbeddingMapView(DatasetViewModel viewModel) {
        this.viewModel = viewModel;
        chart.setId("embedding-map");
        ChoiceBox<MapProjection> projection = new ChoiceBox<>(FXCollections.observableArrayList(MapProjection.values()));
        projection.setId("map-projection");
        projection.valueProperty().bindBidirectional(viewModel.projectionProperty());
        colouring.setId("map-colouring");
        colouring.getItems().setAll(viewModel.availableColourings());
        colouring.valueProperty().bindBidirectional(viewModel.colouringProperty());
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(viewModel.mapProgressProperty());
        progress.visibleProperty().bind(viewModel.mapBusyProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("map-cancel");
        cancel.visibleProperty().bind(viewModel.mapBusyProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        cancel.setOnAction(event -> viewModel.cancelMap());
        Label status = new Label();
        status.setId("map-status");
        status.textProperty().bind(viewModel.mapStatusProperty());
        status.setWrapText(true);
        HBox bar = new HBox(8, new Label("Map"), projection, new Label("colour by"), colouring, progress, cancel);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        Label hint = new Label("Click a point to inspect its image; drag around points to select them for the gallery.");
        hint.setPadding(new Insets(0, 6, 6, 6));
        root.setTop(new BorderPane(status, bar, null, null, null));
        root.setCenter(chart);
        root.setBottom(hint);
        viewModel.summaryProperty().addListener((observable, old, value) -> {
            MapColouring current = viewModel.colouringProperty().get();
            colouring.getItems().setAll(viewModel.availableColourings());
            viewModel.colouringProperty().set(colouring.getItems().contains(current) ? current : MapColouring.CLASS);
        });
        viewModel.mapPointsProperty().addListener((observable, old, value) -> {
            selected = new boolean[value == null ? 0 : value.size()];
            chart.redraw();
        });
        viewModel.colouringProperty().addListener((observable, old, value) -> chart.redraw());
        chart.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        chart.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        chart.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
    }

    BorderPane node() {
        return root;
    }

    /** Where map point {@code k} was drawn, in screen coordinates (for a robot to click it). */
    Point2D pointOnScreen(int k) {
        return chart.localToScreen(screenX[k], screenY[k]);
    }

    private void drawMap(GraphicsContext g, double width, double height) {
        MapPoints points = viewModel.mapPointsProperty().get();
        if (points == null || points.size() == 0) {
            screenX = new double[0];
            screenY = new double[0];
            return;
        }
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (float[] p : points.coordinates()) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        double spanX = maxX > minX ? maxX - minX : 1;
        double spanY = maxY > minY ? maxY - minY : 1;
        double margin = PlotCanvas.MARGIN / 2;
        screenX = new double[points.size()];
        screenY = new double[points.size()];
        // The choice box empties its value for a moment while its items are replaced.
        MapColouring by = Objects.requireNonNullElse(viewModel.colouringProperty().get(), MapColouring.CLASS);
        double[] values = viewModel.colourValues(by);
        for (int k = 0; k < points.size(); k++) {
            float[] p = points.coordinates()[k];
            screenX[k] = margin + (p[0] - minX) / spanX * (width - 2 * margin);
            screenY[k] = height - margin - (p[1] - minY) / spanY * (height - 2 * margin);
            int image = points.indices()[k];
            double value = image < values.length ? values[image] : Double.NaN;
            g.setFill(by == MapColouring.CLASS ? PlotCanvas.classColour((int) value) : PlotCanvas.scaleColour(value));
            g.fillRect(screenX[k] - POINT / 2, screenY[k] - POINT / 2, POINT, POINT);
        }
        g.setStroke(Color.BLACK);
        g.setLineWidth(1);
        for (int k = 0; k < selected.length && k < screenX.length; k++) {
            if (selected[k]) {
                g.strokeOval(screenX[k] - POINT, screenY[k] - POINT, 2 * POINT, 2 * POINT);
            }
        }
        if (lasso.size() > 1) {
            g.setStroke(Color.web("#2a5db0"));
            g.setLineDashes(5, 4);
            g.beginPath();
            g.moveTo(lasso.get(0)[0], lasso.get(0)[1]);
            for (double[] p : lasso) {
                g.lineTo(p[0], p[1]);
            }
            g.stroke();
            g.setLineDashes();
        }
    }

    private void pressed(MouseEvent event) {
        lasso.clear();
        lasso.add(new double[] {event.getX(), event.getY()});
    }

    private void dragged(MouseEvent event) {
        lasso.add(new double[] {event.getX(), event.getY()});
        chart.redraw();
    }

    private void released(MouseEvent event) {
        MapPoints points = viewModel.mapPointsProperty().get();
        List<double[]> path = new ArrayList<>(lasso);
        lasso.clear();
        if (points == null || path.isEmpty()) {
            chart.redraw();
            return;
        }
        if (travel(path) < CLICK_TRAVEL) {
            int nearest = nearest(screenX, screenY, event.getX(), event.getY(), CLICK_RADIUS);
            chart.redraw();
            if (nearest >= 0) {
                viewModel.openImage(points.indices()[nearest]);
            }
            return;
        }
        List<Integer> chosen = new ArrayList<>();
        selected = new boolean[points.size()];
        for (int k = 0; k < screenX.length; k++) {
            if (inside(path, screenX[k], screenY[k])) {
                selected[k] = true;
                chosen.add(points.indices()[k]);
            }
        }
        chart.redraw();
        viewModel.selectImages(chosen);
    }

    private static double travel(List<double[]> path) {
        double most = 0;
        for (double[] p : path) {
            most = Math.max(most, Math.hypot(p[0] - path.get(0)[0], p[1] - path.get(0)[1]));
        }
        return most;
    }

    /** The point nearest (x, y) within {@code radius}, or −1. */
    static int nearest(double[] xs, double[] ys, double x, double y, double radius) {
        int best = -1;
        double bestDistance = radius * radius;
        for (int k = 0; k < xs.length; k++) {
            double d = (xs[k] - x) * (xs[k] - x) + (ys[k] - y) * (ys[k] - y);
            if (d <= bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    /** Whether (x, y) lies inside the closed polygon {@code path} (even–odd rule). */
    static boolean inside(List<double[]> path, double x, double y) {
        boolean in = false;
        for (int a = 0, b = path.size() - 1; a < path.size(); b = a++) {
            double[] p = path.get(a);
            double[] q = path.get(b);
            if ((p[1] > y) != (q[1] > y) && x < (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]) + p[0]) {
                in = !in;
            }
        }
        return in;
    }
}
