package org.clipwb.app.runs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.PhaseChanges;
import org.clipwb.core.adapt.RunImages;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.report.RunLabels;
import org.clipwb.core.report.RunReport;

/**
 * The presentation of a run, phase by phase, for a lesson: one slide per step saying, in a few large lines, how many
 * labels the phase kept and how many of those were right, how many labels flipped since the step before (and how
 * many flips fixed or broke a label), and how the accuracy moved; with examples of flipped images.
 */
public final class TeachingViewModel {
    /** At most this many flipped images are shown on a slide. */
    static final int EXAMPLES = 12;

    /** One flipped image on a slide: its file, its label before and after, and whether the flip fixed it. */
    public record Example(Path image, String from, String to, Optional<Boolean> fixed) {
    }

    /** One slide. */
    public record Slide(String title, String description, List<String> facts, List<Example> examples) {
        public Slide {
            facts = List.copyOf(facts);
            examples = List.copyOf(examples);
        }
    }

    private final WorkbenchContext context;
    private final ObservableList<Slide> slides = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper index = new ReadOnlyIntegerWrapper(this, "index", 0);
    private final ReadOnlyObjectWrapper<Slide> slide = new ReadOnlyObjectWrapper<>(this, "slide");
    private final ReadOnlyObjectWrapper<RunRecord> run = new ReadOnlyObjectWrapper<>(this, "run");

    /** A presentation on the window's context. */
    public TeachingViewModel(WorkbenchContext context) {
        this.context = context;
        index.addListener((observable, old, value) -> showSlide());
        slides.addListener((javafx.collections.ListChangeListener<Slide>) change -> showSlide());
    }

    /** Loads {@code shown}'s steps in the background and shows its first slide. */
    public Task<List<Slide>> present(RunRecord shown) {
        var catalog = context.catalog();
        Task<List<Slide>> task = new Task<>() {
            @Override
            protected List<Slide> call() throws IOException {
                updateMessage("Reading the phases of run " + shown.id());
                List<PhaseChanges.Step> steps = RunLabels.steps(catalog, shown);
                Optional<RunImages> images = RunImages.read(catalog.runDirectory(shown.id()));
                return slides(shown, steps, images.orElse(null));
            }
        };
        task.setOnSucceeded(event -> {
            run.set(shown);
            index.set(0);
            slides.setAll(task.getValue());
        });
        context.runInBackground("Cannot present run " + shown.id(), task);
        return task;
    }

    /** The slides of a run: a title slide, then one per step. */
    static List<Slide> slides(RunRecord run, List<PhaseChanges.Step> steps, RunImages images) {
        Optional<MethodInfo> method = AdaptationMethods.ids().contains(run.method())
                ? Optional.of(AdaptationMethods.create(run.method()).info()) : Optional.empty();
        List<Slide> slides = new ArrayList<>();
        List<String> opening = new ArrayList<>();
        if (images != null) {
            opening.add(images.paths().size() + " images, " + images.classNames().size() + " classes: "
                    + String.join(", ", images.classNames()));
            opening.add(images.hasLabels() ? "The folder's class subfolders tell us which labels are right; the "
                    + "method never sees them." : "The folder has no class subfolders: accuracy is unknown.");
        }
        if (steps.isEmpty()) {
            opening.add("This run recorded no per-image signals, so its phases cannot be shown.");
        }
        slides.add(new Slide(method.map(MethodInfo::title).orElse(run.method()), method.map(MethodInfo::paper)
                .orElse(""), opening, List.of()));
        for (PhaseChanges.Step step : steps) {
            slides.add(slide(step, method, images));
        }
        return slides;
    }

    private static Slide slide(PhaseChanges.Step step, Optional<MethodInfo> method, RunImages images) {
        String title = phaseTitle(step.phase(), method);
        String description = step.phase().equals(PhaseChanges.FINAL) ? "The labels the adapted model gives every image."
                : method.flatMap(info -> info.phases().stream().filter(p -> p.id().equals(step.phase())).findFirst())
                        .map(MethodInfo.PhaseInfo::description).orElse("");
        List<String> facts = new ArrayList<>();
        step.kept().ifPresent(kept -> facts.add("Kept " + kept + " of " + step.images() + " labels to learn from"
                + step.keptAccuracy().stream().mapToObj(a -> ", " + percent(a) + " of them right").findFirst()
                        .orElse("")));
        if (step.previousAccuracy().isPresent() || !step.flips().isEmpty()) {
            facts.add(step.flips().size() + " label" + (step.flips().size() == 1 ? "" : "s") + " flipped"
                    + (images != null && images.hasLabels() ? ": " + step.fixedCount() + " fixed, "
                            + step.brokenCount() + " broken" : ""));
        }
        step.accuracy().ifPresent(accuracy -> facts.add(accuracyLine(step.previousAccuracy(), accuracy)));
        List<Example> examples = new ArrayList<>();
        if (images != null) {
            for (PhaseChanges.Flip flip : step.flips().stream().limit(EXAMPLES).toList()) {
                examples.add(new Example(Path.of(flip.path()), images.classNames().get(flip.from()),
                        images.classNames().get(flip.to()), flip.fixed()));
            }
        }
        return new Slide(title, description, facts, examples);
    }

    private static String accuracyLine(OptionalDouble before, double after) {
        if (before.isEmpty()) {
            return "Accuracy " + percent(after);
        }
        return String.format(Locale.ROOT, "Accuracy %s → %s (%+.1f points)", percent(before.getAsDouble()),
                percent(after), 100 * (after - before.getAsDouble()));
    }

    private static String percent(double fraction) {
        return RunReport.percent(OptionalDouble.of(fraction));
    }

    private static String phaseTitle(String phase, Optional<MethodInfo> method) {
        return phase.equals(PhaseChanges.FINAL) ? "Final labels"
                : method.flatMap(info -> info.phases().stream().filter(p -> p.id().equals(phase)).findFirst())
                        .map(MethodInfo.PhaseInfo::title).orElse(phase);
    }

    /** The slides of the presented run. */
    public ObservableList<Slide> slides() {
        return slides;
    }

    /** The slide shown, or null before a run is presented. */
    public ReadOnlyObjectProperty<Slide> slideProperty() {
        return slide.getReadOnlyProperty();
    }

    /** Its position, from 0. */
    public ReadOnlyIntegerProperty indexProperty() {
        return index.getReadOnlyProperty();
    }

    /** The presented run. */
    public ReadOnlyObjectProperty<RunRecord> runProperty() {
        return run.getReadOnlyProperty();
    }

    /** Where an example's image is: the presented run's image folder. */
    public Path imageFolder() {
        return run.get() == null ? null : Path.of(run.get().inputs().get(RunRecord.INPUT_IMAGES));
    }

    /** Shows the next slide. */
    public void next() {
        if (index.get() < slides.size() - 1) {
            index.set(index.get() + 1);
        }
    }

    /** Shows the previous slide. */
    public void previous() {
        if (index.get() > 0) {
            index.set(index.get() - 1);
        }
    }

    /** Whether there is a next slide. */
    public BooleanBinding hasNext() {
        return Bindings.createBooleanBinding(() -> index.get() < slides.size() - 1, index, slides);
    }

    /** Whether there is a previous slide. */
    public BooleanBinding hasPrevious() {
        return index.greaterThan(0);
    }

    private void showSlide() {
        slide.set(slides.isEmpty() ? null : slides.get(Math.min(index.get(), slides.size() - 1)));
    }
}
