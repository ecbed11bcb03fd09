package org.clipwb.core.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.clipwb.core.adapt.ProgressLog;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The curves of a run as JFreeChart charts: each loss term, the accuracy of the current labels (all and kept), the
 * clean fraction the method estimates and the learning rate, against the step counted across the run's phases. The
 * report draws them to PNG; the window shows the same charts live (JFreeChart is AWT-based, not JavaFX). Not
 * thread-safe: the window adds points on its FX thread only.
 */
public final class RunCharts {
    /** The charts, in display order. */
    public enum Kind {
        LOSS("Loss"), ACCURACY("Accuracy"), CLEAN_FRACTION("Clean fraction (estimated)"), LEARNING_RATE("Learning rate");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        /** The chart's title. */
        public String title() {
            return title;
        }
    }

    private final Map<Kind, XYSeriesCollection> data = new LinkedHashMap<>();
    private final Map<Kind, JFreeChart> charts = new LinkedHashMap<>();
    private final Map<String, Long> phaseOffsets = new LinkedHashMap<>();
    private long lastX;
    private long points;

    /** Empty charts. */
    public RunCharts() {
        for (Kind kind : Kind.values()) {
            XYSeriesCollection collection = new XYSeriesCollection();
            data.put(kind, collection);
            charts.put(kind, ChartFactory.createXYLineChart(kind.title(), "step", kind.title(), collection,
                    PlotOrientation.VERTICAL, true, true, false));
        }
    }

    /** Charts of a finished or interrupted run's history. */
    public static RunCharts of(List<ProgressLog.Point> history) {
        RunCharts charts = new RunCharts();
        charts.addAll(history);
        return charts;
    }

    /** Adds points; each chart redraws once, not once per point. */
    public void addAll(List<ProgressLog.Point> batch) {
        if (batch.isEmpty()) {
            return;
        }
        charts.values().forEach(chart -> chart.setNotify(false));
        try {
            batch.forEach(this::add);
        } finally {
            charts.values().forEach(chart -> chart.setNotify(true));
        }
    }

    private void add(ProgressLog.Point point) {
        // Each phase continues the x axis where the run stood when the phase first reported.
        long offset = phaseOffsets.computeIfAbsent(point.phase(), phase -> lastX);
        long x = offset + point.step();
        lastX = Math.max(lastX, x);
        points++;
        point.losses().forEach((term, value) -> put(Kind.LOSS, point.phase() + " " + term, x, value));
        put(Kind.ACCURACY, point.phase() + " all labels", x, point.accuracy());
        put(Kind.ACCURACY, point.phase() + " kept labels", x, point.keptAccuracy());
        put(Kind.CLEAN_FRACTION, point.phase(), x, point.cleanFraction());
        if (Double.isFinite(point.learningRate())) {
            put(Kind.LEARNING_RATE, point.phase(), x, point.learningRate());
        }
    }

    private void put(Kind kind, String series, long x, OptionalDouble value) {
        if (value.isPresent()) {
            put(kind, series, x, value.getAsDouble());
        }
    }

    private void put(Kind kind, String name, long x, double value) {
        XYSeriesCollection collection = data.get(kind);
        int index = collection.getSeriesIndex(name);
        XYSeries series;
        if (index < 0) {
            // Not auto-sorted, duplicates allowed: a resumed step is re-added at its x, as the run reported it.
            series = new XYSeries(name, false, true);
            collection.addSeries(series);
        } else {
            series = collection.getSeries(index);
        }
        series.add(x, value);
    }

    /** The chart of one kind. */
    public JFreeChart chart(Kind kind) {
        return charts.get(kind);
    }

    /** How many values a chart holds, over all its series. */
    public int valueCount(Kind kind) {
        XYSeriesCollection collection = data.get(kind);
        int count = 0;
        for (int s = 0; s < collection.getSeriesCount(); s++) {
            count += collection.getItemCount(s);
        }
        return count;
    }

    /** How many progress points were added. */
    public long pointCount() {
        return points;
    }

    /** Removes every point. */
    public void clear() {
        data.values().forEach(XYSeriesCollection::removeAllSeries);
        phaseOffsets.clear();
        lastX = 0;
        points = 0;
    }
}
