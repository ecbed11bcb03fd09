package org.clipwb.app.zeroshot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.util.ProgressText;
import org.clipwb.core.zeroshot.ZeroShotRun;

/**
 * What one run produced, for the gallery and the status bar.
 *
 * @param request      what was asked
 * @param run          the predictions (and the evaluation when the folder has class subfolders)
 * @param reclassified whether the embeddings of an earlier run were reused (only the classifier was rebuilt)
 * @param elapsed      the wall time of the run
 */
public record ZeroShotResult(RunRequest request, ZeroShotRun run, boolean reclassified, Duration elapsed) {

    /** A file of the folder that is not in the gallery, and why. */
    public record FileProblem(Path path, String reason) {
    }

    /** Files that were skipped (not images) or failed to decode, sorted by path. */
    public List<FileProblem> problems() {
        List<FileProblem> problems = new ArrayList<>();
        for (ImageFolder.Skipped skipped : run.images().folder().skipped()) {
            problems.add(new FileProblem(skipped.path(), skipped.reason()));
        }
        for (ImageEmbedder.Failure failure : run.images().failures()) {
            problems.add(new FileProblem(failure.path(), failure.reason()));
        }
        problems.sort(Comparator.comparing(FileProblem::path));
        return problems;
    }

    /** One line for the status bar, e.g. "Re-classified 60 images in 40 ms (embeddings reused)". */
    public String summary() {
        int images = run.predictions().size();
        String time = ProgressText.elapsed(elapsed);
        if (reclassified) {
            return String.format(Locale.ROOT, "Re-classified %d images into %d classes in %s (embeddings reused)",
                    images, request.classes().size(), time);
        }
        return String.format(Locale.ROOT, "Classified %d images into %d classes in %s (%d embeddings from the cache, "
                + "%d computed)", images, request.classes().size(), time, run.images().fromCache(),
                run.images().computed());
    }

    /** Whether this result already answers {@code other}: same folder, model, precision, classes and templates. */
    public boolean answers(RunRequest other) {
        return request.folder().equals(other.folder()) && request.sameModel(other) && request.sameClassifier(other);
    }
}
