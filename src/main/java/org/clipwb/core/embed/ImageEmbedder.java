package org.clipwb.core.embed;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.image.ImageDecodeException;
import org.clipwb.core.image.ImageDecoder;
import org.clipwb.core.model.Clip;

/**
 * Embeds image files with a CLIP model: worker threads decode and preprocess images, the calling thread runs batched
 * inference. On the CPU the two take turns, each with every core; on a GPU decoding runs ahead, overlapping inference.
 * Embeddings already in the {@link EmbeddingCache} are reused without decoding; a file that cannot be read or decoded
 * is reported with its reason and skipped, never aborting the run. Cancel by interrupting the calling thread.
 */
public final class ImageEmbedder {
    /** A file that produced no embedding, and why. */
    public record Failure(Path path, String reason) {
    }

    /**
     * What a run produced.
     *
     * @param embeddings one normalised embedding per input file, in input order; null where the file failed
     */
    public record Result(float[][] embeddings, List<Failure> failures, int fromCache, int computed) {
    }

    /** Progress of a run: images finished (embedded, cached or failed) out of the total. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);
    }

    private final Clip clip;
    private final EmbeddingCache cache;
    private final int batchSize;
    private final int workers;

    /**
     * @param cache the on-disk cache, or null to always compute
     * @param workers decode threads (at least 1)
     */
    public ImageEmbedder(Clip clip, EmbeddingCache cache, int batchSize, int workers) {
        if (batchSize < 1 || workers < 1) {
            throw new IllegalArgumentException("batch size and workers must be at least 1");
        }
        this.clip = clip;
        this.cache = cache;
        this.batchSize = batchSize;
        this.workers = workers;
    }

    /** A sensible number of decode threads for this machine: one per core (decoding and inference take turns). */
    public static int defaultWorkers() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Embeds the files; blocks until done. */
    public Result embed(List<Path> files, Progress progress) throws IOException, InterruptedException {
        int total = files.size();
        float[][] embeddings = new float[total][];
        List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "clipwb-decode");
            thread.setDaemon(true);
            return thread;
        });
        try {
            String[] keys = new String[total];
            String modelKey = null;
            int fromCache = 0;
            if (cache != null) {
                modelKey = clip.fingerprint(cache.contentKey(clip.weightsFile()));
                computeContentKeys(files, keys, failures, pool);
                Map<String, float[]> cached = cache.get(modelKey, keysPresent(keys));
                for (int i = 0; i < total; i++) {
                    if (keys[i] != null && cached.containsKey(keys[i])) {
                        embeddings[i] = cached.get(keys[i]);
                        fromCache++;
                    }
                }
                done.set(fromCache + failures.size());
                progress.update(done.get(), total);
            }
            List<Integer> todo = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                if (embeddings[i] == null && (cache == null || keys[i] != null)) {
                    todo.add(i);
                }
            }
            int computed = computeMissing(files, todo, keys, modelKey, embeddings, failures, pool, done, progress);
            List<Failure> sorted = new ArrayList<>(failures);
            sorted.sort((a, b) -> a.path().compareTo(b.path()));
            return new Result(embeddings, List.copyOf(sorted), fromCache, computed);
        } finally {
            pool.shutdownNow();
        }
    }

    private void computeContentKeys(List<Path> files, String[] keys, List<Failure> failures, ExecutorService pool)
            throws InterruptedException {
        List<Future<?>> pending = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            int index = i;
            pending.add(pool.submit(() -> {
                try {
                    keys[index] = cache.contentKey(files.get(index));
                } catch (IOException e) {
                    failures.add(new Failure(files.get(index), readFailure(e)));
                }
            }));
        }
        for (Future<?> future : pending) {
            await(future);
        }
    }

    private int computeMissing(List<Path> files, List<Integer> todo, String[] keys, String modelKey,
            float[][] embeddings, List<Failure> failures, ExecutorService pool, AtomicInteger done, Progress progress)
            throws IOException, InterruptedException {
        ClipPreprocessor preprocessor = clip.preprocessor();
        int tensorLength = preprocessor.tensorLength();
        float[] batch = new float[batchSize * tensorLength];
        int[] batchIndices = new int[batchSize];
        int filled = 0;
        int computed = 0;
        // PyTorch runs inference on the CPU with one thread per core, so decoding alongside it only takes cores away,
        // and each op waits for its slowest thread: a thread that loses its core to a decoder stalls the others. On
        // the CPU the batch in hand is therefore decoded alone, between inferences; a GPU leaves the cores free, and
        // decoding runs up to two batches ahead.
        int lookAhead = clip.device().isGpu() ? batchSize * 2 : 0;
        CompletionService<Decoded> decoded = new ExecutorCompletionService<>(pool);
        int submitted = 0;
        int received = 0;
        while (received < todo.size()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("embedding cancelled");
            }
            // In flight: the images that complete the batch in hand (more when one fails), plus the look-ahead.
            while (submitted < todo.size() && submitted - received < batchSize - filled + lookAhead) {
                submitDecode(decoded, files, todo.get(submitted++), preprocessor);
            }
            Decoded next = await(decoded.take());
            received++;
            if (next.failure() != null) {
                failures.add(next.failure());
                progress.update(done.incrementAndGet(), files.size());
            } else {
                System.arraycopy(next.tensor(), 0, batch, filled * tensorLength, tensorLength);
                batchIndices[filled++] = next.index();
            }
            if (filled == batchSize || (received == todo.size() && filled > 0)) {
                float[][] vectors = clip.embedPixels(batch, filled);
                Map<String, float[]> toCache = new HashMap<>();
                for (int b = 0; b < filled; b++) {
                    embeddings[batchIndices[b]] = vectors[b];
                    if (keys[batchIndices[b]] != null) {
                        toCache.put(keys[batchIndices[b]], vectors[b]);
                    }
                }
                if (cache != null) {
                    cache.put(modelKey, toCache);
                }
                computed += filled;
                progress.update(done.addAndGet(filled), files.size());
                filled = 0;
            }
        }
        return computed;
    }

    private static void submitDecode(CompletionService<Decoded> service, List<Path> files, int index,
            ClipPreprocessor preprocessor) {
        service.submit(() -> {
            Path file = files.get(index);
            try {
                return new Decoded(index, preprocessor.toTensor(ImageDecoder.decode(file)), null);
            } catch (ImageDecodeException e) {
                return new Decoded(index, null, new Failure(file, e.reason()));
            } catch (RuntimeException | OutOfMemoryError e) {
                return new Decoded(index, null, new Failure(file, "cannot be decoded: " + e));
            }
        });
    }

    private static String readFailure(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "file no longer exists";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return "cannot be read: " + e.getMessage();
    }

    private static <T> T await(Future<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("decode worker failed", e.getCause());
        }
    }

    private static List<String> keysPresent(String[] keys) {
        List<String> present = new ArrayList<>();
        for (String key : keys) {
            if (key != null) {
                present.add(key);
            }
        }
        return present;
    }

    private record Decoded(int index, float[] tensor, Failure failure) {
    }
}
