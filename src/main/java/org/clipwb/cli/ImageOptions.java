package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.EmbeddingCache;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.util.ProgressText;
import org.clipwb.core.util.WorkbenchPaths;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of commands that embed a folder of images. */
final class ImageOptions {
    @Mixin
    BatchOptions batch;

    @Option(names = "--no-cache", description = "Do not read or write the embedding cache.")
    boolean noCache;

    /** Embeds every image of the folder, reporting progress and skipped files on {@code err}. */
    EmbeddedFolder embed(Clip clip, ImageFolder folder, PrintWriter err) throws IOException, InterruptedException {
        try (EmbeddingCache cache = noCache ? null : EmbeddingCache.open(WorkbenchPaths.embeddingCache());
                ConsoleProgress progress = new ConsoleProgress(err)) {
            ImageEmbedder embedder = new ImageEmbedder(clip, cache, batch.batchSize(), batch.workers());
            long start = System.nanoTime();
            EmbeddedFolder embedded = EmbeddedFolder.embed(folder, embedder, (done, total) -> progress.show(
                    ProgressText.count("Embedding images", done, total, start)));
            progress.clear();
            for (ImageFolder.Skipped skipped : folder.skipped()) {
                err.println("skipped " + skipped.path() + ": " + skipped.reason());
            }
            for (ImageEmbedder.Failure failure : embedded.failures()) {
                err.println("skipped " + failure.path() + ": " + failure.reason());
            }
            return embedded;
        }
    }

    /** Embeds image files given one by one (labeled shots), through the cache like folders. */
    ImageEmbedder.Result embedFiles(Clip clip, List<Path> files) throws IOException, InterruptedException {
        try (EmbeddingCache cache = noCache ? null : EmbeddingCache.open(WorkbenchPaths.embeddingCache())) {
            return new ImageEmbedder(clip, cache, batch.batchSize(), batch.workers()).embed(files, (done, total) -> { });
        }
    }
}
