package org.clipwb.core.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.PhaseChanges;
import org.clipwb.core.adapt.ProgressLog;
import org.clipwb.core.adapt.RunImages;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.util.AtomicFiles;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * A run as one self-contained HTML page, for a course handout or a lab notebook: its summary and accuracy against
 * zero-shot, its curves (PNG images embedded as base64, so the page needs no other file), what each phase changed,
 * the images whose label the run flipped, its settings with their descriptions, its inputs and every metric.
 */
public final class RunReport {
    /** At most this many flipped images are listed; the count says how many there were. */
    static final int MAX_LISTED_FLIPS = 100;
    private static final int CHART_WIDTH = 720;
    private static final int CHART_HEIGHT = 300;

    private RunReport() {
    }

    /** Writes the report of {@code run} to {@code out} atomically. */
    public static void write(ProjectCatalog catalog, RunRecord run, Path out) throws IOException {
        AtomicFiles.write(out, html(catalog, run).getBytes(StandardCharsets.UTF_8));
    }

    /** The report of {@code run} as an HTML page. */
    public static String html(ProjectCatalog catalog, RunRecord run) throws IOException {
        Optional<MethodInfo> method = AdaptationMethods.ids().contains(run.method())
                ? Optional.of(AdaptationMethods.create(run.method()).info()) : Optional.empty();
        String title = "Run " + run.id() + ": " + method.map(MethodInfo::title).orElse(run.method());
        Optional<RunImages> images = RunImages.read(catalog.runDirectory(run.id()));
        List<String> classNames = images.map(RunImages::classNames).orElse(List.of());
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #bbb;padding:0.2em 0.6em;"
                        + "text-align:left}th{background:#eee}.num{text-align:right}.changed{font-weight:bold}"
                        + "img{max-width:100%;display:block;margin:0.5em 0}.note{color:#555}</style></head><body>\n");
        page.append("<h1>").append(escape(title)).append("</h1>\n");
        summary(page, run, method);
        charts(page, ProgressLog.read(catalog.runDirectory(run.id())));
        phases(page, RunLabels.steps(catalog, run), method, classNames);
        settings(page, run, method);
        table(page, "Inputs", run.inputs());
        page.append("<h2>Metrics</h2>\n<table><tr><th>metric</th><th>value</th></tr>\n");
        run.metrics().forEach((key, value) -> page.append("<tr><td>").append(escape(key))
                .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.6g", value))
                .append("</td></tr>\n"));
        page.append("</table>\n<p class=\"note\">Written by CLIP Workbench. Evaluation labels (the image folder's class "
                + "subfolders) are used for these numbers only, never by a method.</p>\n</body></html>\n");
        return page.toString();
    }

    private static void summary(StringBuilder page, RunRecord run, Optional<MethodInfo> method) {
        page.append("<p>").append(escape(method.map(MethodInfo::paper).orElse(""))).append("</p>\n<table>\n");
        row(page, "status", run.status().name().toLowerCase(Locale.ROOT));
        row(page, "seed", Long.toString(run.seed()));
        row(page, "created", run.created().toString());
        run.finished().ifPresent(finished -> row(page, "ended", finished.toString()));
        if (!run.message().isEmpty()) {
            row(page, "note", run.message());
        }
        for (String[] split : new String[][] {{"target", "on the image folder (transductive)"},
                {"test", "on the held-out images"}}) {
            Double adapted = run.metrics().get(split[0] + ".accuracy");
            Double zeroShot = run.metrics().get(split[0] + ".zero_shot_accuracy");
            if (adapted != null && zeroShot != null) {
                row(page, "accuracy " + split[1], String.format(Locale.ROOT, "%.2f%% (zero-shot %.2f%%, %+.2f points)",
                        100 * adapted, 100 * zeroShot, 100 * (adapted - zeroShot)));
            }
        }
        page.append("</table>\n");
    }

    private static void charts(StringBuilder page, List<ProgressLog.Point> history) throws IOException {
        page.append("<h2>Training curves</h2>\n");
        if (history.isEmpty()) {
            page.append("<p class=\"note\">This run recorded no training steps.</p>\n");
            return;
        }
        RunCharts charts = RunCharts.of(history);
        for (RunCharts.Kind kind : RunCharts.Kind.values()) {
            if (charts.valueCount(kind) == 0) {
                continue;
            }
            JFreeChart chart = charts.chart(kind);
            byte[] png = ChartUtils.encodeAsPNG(chart.createBufferedImage(CHART_WIDTH, CHART_HEIGHT));
            page.append("<img alt=\"").append(escape(kind.title())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        }
    }

    private static void phases(StringBuilder page, List<PhaseChanges.Step> steps, Optional<MethodInfo> method,
            List<String> classNames) {
        page.append("<h2>Phase by phase</h2>\n");
        if (steps.isEmpty()) {
            page.append("<p class=\"note\">This run recorded no per-image signals.</p>\n");
            return;
        }
        page.append("<table><tr><th>phase</th><th>labels kept</th><th>accuracy of kept</th><th>accuracy</th>"
                + "<th>labels flipped</th><th>fixed</th><th>broken</th></tr>\n");
        for (PhaseChanges.Step step : steps) {
            page.append("<tr><td>").append(escape(phaseTitle(step.phase(), method))).append("</td>")
                    .append(cell(step.kept().isPresent() ? step.kept().getAsInt() + " of " + step.images() : "—"))
                    .append(cell(percent(step.keptAccuracy()))).append(cell(percent(step.accuracy())))
                    .append(cell(Integer.toString(step.flips().size())))
                    .append(cell(Long.toString(step.fixedCount()))).append(cell(Long.toString(step.brokenCount())))
                    .append("</tr>\n");
        }
        page.append("</table>\n");
        PhaseChanges.Step last = steps.get(steps.size() - 1);
        if (!last.flips().isEmpty()) {
            page.append("<h3>Labels flipped by ").append(escape(phaseTitle(last.phase(), method))).append(" (")
                    .append(last.flips().size()).append(last.flips().size() > MAX_LISTED_FLIPS ? ", the first "
                            + MAX_LISTED_FLIPS + " listed" : "").append(")</h3>\n<table><tr><th>image</th><th>from</th>"
                            + "<th>to</th><th>evaluation label</th></tr>\n");
            last.flips().stream().limit(MAX_LISTED_FLIPS).forEach(flip -> page.append("<tr><td>")
                    .append(escape(flip.path())).append("</td>").append(cell(name(classNames, flip.from())))
                    .append(cell(name(classNames, flip.to()))).append(cell(name(classNames, flip.truth())))
                    .append("</tr>\n"));
            page.append("</table>\n");
        }
    }

    private static void settings(StringBuilder page, RunRecord run, Optional<MethodInfo> method) {
        if (method.isEmpty()) {
            table(page, "Settings", run.settings());
            return;
        }
        page.append("<h2>Settings</h2>\n<table><tr><th>setting</th><th>value</th><th>default</th><th>what it does"
                + "</th></tr>\n");
        for (Setting setting : method.get().settings()) {
            String value = run.settings().getOrDefault(setting.key(), setting.defaultValue());
            boolean changed = !setting.parse(value).equals(setting.parse(setting.defaultValue()));
            page.append(changed ? "<tr class=\"changed\">" : "<tr>").append(cell(setting.key())).append(cell(value))
                    .append(cell(setting.defaultValue())).append(cell(setting.description())).append("</tr>\n");
        }
        page.append("</table>\n");
    }

    /** The phase's title from the method's description, else its id. */
    static String phaseTitle(String phase, Optional<MethodInfo> method) {
        if (phase.equals(PhaseChanges.FINAL)) {
            return "Final labels";
        }
        return method.flatMap(info -> info.phases().stream().filter(p -> p.id().equals(phase)).findFirst())
                .map(MethodInfo.PhaseInfo::title).orElse(phase);
    }

    private static void table(StringBuilder page, String title, Map<String, String> values) {
        page.append("<h2>").append(escape(title)).append("</h2>\n<table>\n");
        values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> row(page, entry.getKey(), entry.getValue()));
        page.append("</table>\n");
    }

    private static void row(StringBuilder page, String key, String value) {
        page.append("<tr><th>").append(escape(key)).append("</th>").append(cell(value)).append("</tr>\n");
    }

    private static String cell(String text) {
        return "<td>" + escape(text) + "</td>";
    }

    private static String name(List<String> classNames, int label) {
        return label >= 0 && label < classNames.size() ? classNames.get(label) : label < 0 ? "—" : "#" + label;
    }

    /** A fraction as a percentage with one decimal, or a dash when unknown. */
    public static String percent(OptionalDouble fraction) {
        return fraction.isPresent() ? String.format(Locale.ROOT, "%.1f%%", 100 * fraction.getAsDouble()) : "—";
    }

    /** Text escaped for HTML content and attribute values. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
