package org.clipwb.app.zeroshot;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.EmbeddingCache;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.Precision;
import org.clipwb.core.store.DownloadListener;
import org.clipwb.core.store.DownloadProgress;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.util.ProgressText;
import org.clipwb.core.zeroshot.ZeroShotClassifier;
import org.clipwb.core.zeroshot.ZeroShotRun;

/**
 * What zero-shot runs keep between them: the loaded model and the embeddings of the last folder, so that a new class
 * list or template only rebuilds the classifier. Not thread-safe by design: the view-model calls it from its one run
 * thread only, which also guarantees that the model is never closed while a run uses it.
 */
final class ZeroShotSession implements AutoCloseable {
    /** Images per forward pass: small enough that a cancel takes effect within about a second on a CPU. */
    private static final int BATCH_SIZE = 16;

    /** Progress of a run, on the run thread: a message and a fraction in [0, 1], or -1 when unknown. */
    @FunctionalInterface
    interface Progress {
        void update(String message, double fraction);
    }

    /**
     * What the session holds, published after every change.
     *
     * @param modelSpec      the loaded model, or null
     * @param precision      the loaded model's precision, or null when none is loaded
     * @param embeddedFolder the folder whose embeddings (by that model) are kept, or null
     */
    record State(String modelSpec, Precision precision, Path embeddedFolder) {
        static final State EMPTY = new State(null, null, null);

        /** Whether the loaded model is {@code spec} in {@code precision}, so that a run with them reuses it. */
        boolean holds(String spec, Precision precision) {
            return modelSpec != null && modelSpec.equals(spec) && this.precision == precision;
        }
    }

    private final ModelStore store;
    private final Path embeddingCacheFile;
    private final Consumer<State> stateListener;
    private Clip clip;
    private EmbeddedFolder embedded;
    private Path embeddedFolder;
    private EmbeddingCache cache;

    /**
     * @param embeddingCacheFile the SQLite embedding cache, opened on first use
     * @param stateListener      told (on the run thread) whenever the model or the kept embeddings change
     */
    ZeroShotSession(ModelStore store, Path embeddingCacheFile, Consumer<State> stateListener) {
        this.store = store;
        this.embeddingCacheFile = embeddingCacheFile;
        this.stateListener = stateListener;
    }

    /**
     * Runs zero-shot: resolves and loads the model unless it is the loaded one in the requested precision, scans and
     * embeds the folder unless {@code reuseEmbeddings} and its embeddings are kept, then classifies.
     *
     * @throws InterruptedException the run was cancelled (the thread was interrupted)
     */
    ZeroShotResult run(RunRequest request, boolean reuseEmbeddings, Progress progress)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        Clip model = model(request.modelSpec(), request.precision(), progress);
        boolean reuse = reuseEmbeddings && embedded != null && request.folder().equals(embeddedFolder);
        if (!reuse) {
            embed(model, request.folder(), progress);
        }
        checkCancelled();
        int prompts = request.classes().size() * request.templates().templates().size();
        progress.update(String.format("Encoding %d prompt%s for %d classes", prompts, prompts == 1 ? "" : "s",
                request.classes().size()), -1);
        ZeroShotClassifier classifier = ZeroShotClassifier.build(request.classes(), request.templates(), model,
                model.logitScale());
        checkCancelled();
        ZeroShotRun run = ZeroShotRun.classify(embedded, classifier);
        return new ZeroShotResult(request, run, reuse, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The loaded model, or null. */
    Clip loadedModel() {
        return clip;
    }

    /** Closes the loaded model and drops its embeddings (they belong to it). */
    void releaseModel() {
        embedded = null;
        embeddedFolder = null;
        if (clip != null) {
            clip.close();
            clip = null;
        }
        stateListener.accept(State.EMPTY);
    }

    @Override
    public void close() throws IOException {
        releaseModel();
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }

    private Clip model(String spec, Precision precision, Progress progress) throws IOException, InterruptedException {
        if (clip != null && clip.name().equals(spec) && clip.precision() == precision) {
            return clip;
        }
        releaseModel();
        progress.update("Looking up model " + spec, -1);
        Path folder = store.resolve(spec, DownloadListener.of(
                download -> progress.update(describe(spec, download),
                        download.totalBytes() > 0 ? (double) download.bytesDone() / download.totalBytes() : -1),
                note -> progress.update(note, -1)));
        checkCancelled();
        progress.update("Loading model " + spec + " (" + precision + ")", -1);
        clip = Clip.load(folder, spec, Engine.getInstance().defaultDevice(), precision);
        stateListener.accept(new State(spec, clip.precision(), null));
        return clip;
    }

    private void embed(Clip model, Path folder, Progress progress) throws IOException, InterruptedException {
        // The old folder's embeddings are replaced either way: free them before the new ones take memory.
        embedded = null;
        embeddedFolder = null;
        stateListener.accept(new State(model.name(), model.precision(), null));
        progress.update("Scanning " + folder, -1);
        ImageFolder images = ImageFolder.scan(folder);
        if (images.entries().isEmpty()) {
            throw new IOException("No images in " + folder + " or its subfolders (looked for "
                    + String.join(", ", ImageFolder.IMAGE_EXTENSIONS.stream().sorted().toList()) + "; "
                    + images.skipped().size() + " other files)");
        }
        checkCancelled();
        ImageEmbedder embedder = new ImageEmbedder(model, cache(), BATCH_SIZE, ImageEmbedder.defaultWorkers());
        long start = System.nanoTime();
        EmbeddedFolder result = EmbeddedFolder.embed(images, embedder, (done, total) -> progress.update(
                ProgressText.count("Embedding images", done, total, start), total == 0 ? 1 : (double) done / total));
        embedded = result;
        embeddedFolder = folder;
        stateListener.accept(new State(model.name(), model.precision(), folder));
    }

    private EmbeddingCache cache() throws IOException {
        if (cache == null) {
            cache = EmbeddingCache.open(embeddingCacheFile);
        }
        return cache;
    }

    private static String describe(String spec, DownloadProgress download) {
        return "Downloading " + spec + ", " + download.file() + ": " + ProgressText.bytes(download.bytesDone(),
                download.totalBytes(), download.bytesPerSecond(), download.eta());
    }

    private static void checkCancelled() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("cancelled");
        }
    }
}
