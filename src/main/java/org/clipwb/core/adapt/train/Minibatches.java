package org.clipwb.core.adapt.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The minibatches of an epoch: a seeded shuffle of the training indices cut into batches. The shuffle of epoch
 * {@code e} depends only on the seed and {@code e}, so a run resumed at any epoch sees the batches an uninterrupted
 * run would have seen.
 */
public final class Minibatches {
    private Minibatches() {
    }

    /**
     * The batches of one epoch.
     *
     * @param count the number of training items
     * @param dropLast whether a final smaller batch is dropped (kept when it would leave no batch at all)
     */
    public static List<int[]> of(int count, int batchSize, long seed, int epoch, boolean dropLast) {
        checkBatchSize(batchSize);
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        SplittableRandom random = epochRandom(seed, epoch);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < count; start += batchSize) {
            int end = Math.min(count, start + batchSize);
            if (dropLast && end - start < batchSize && !batches.isEmpty()) {
                break;
            }
            int[] batch = new int[end - start];
            System.arraycopy(order, start, batch, 0, batch.length);
            batches.add(batch);
        }
        return batches;
    }

    /** Number of batches per epoch, as {@link #of} cuts them. */
    public static int count(int items, int batchSize, boolean dropLast) {
        checkBatchSize(batchSize);
        int full = items / batchSize;
        return dropLast && full > 0 ? full : (items + batchSize - 1) / batchSize;
    }

    // A batch size of 0 would cut empty batches forever.
    private static void checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " is not positive");
        }
    }

    /** The random source of one epoch of a run, independent of every other epoch's. */
    public static SplittableRandom epochRandom(long seed, int epoch) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    }
}
