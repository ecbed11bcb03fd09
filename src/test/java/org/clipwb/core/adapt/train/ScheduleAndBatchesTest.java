package org.clipwb.core.adapt.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScheduleAndBatchesTest {
    private static final double EXACT = 1e-15;

    @Test
    void aPlainCosineFallsFromTheBaseToZero() {
        CosineSchedule schedule = CosineSchedule.of(0.1, 10);
        assertEquals(0.1, schedule.rate(0), EXACT);
        assertEquals(0.05, schedule.rate(5), EXACT, "half way: cos(π/2) = 0");
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI * 0.3)), schedule.rate(3), EXACT);
        assertEquals(schedule.rate(10 - 3), 0.1 - schedule.rate(3), EXACT, "symmetric about the middle");
        assertEquals(0, schedule.rate(10), EXACT);
        assertEquals(0, schedule.rate(25), EXACT, "past the end it stays at zero");
    }

    @Test
    void aConstantWarmUpHoldsItsRateThenTheCosineStartsAtTheBase() {
        // CoOp: one epoch at 1e-5, then a cosine over the remaining ten.
        CosineSchedule schedule = new CosineSchedule(0.002, 11, 1, 1e-5, false);
        assertEquals(1e-5, schedule.rate(0), EXACT);
        assertEquals(0.002, schedule.rate(1), EXACT);
        assertEquals(0.001, schedule.rate(6), EXACT);
        assertEquals(0.002 * 0.5 * (1 + Math.cos(Math.PI * 0.9)), schedule.rate(10), EXACT);
        assertEquals(0, schedule.rate(11), EXACT);
    }

    @Test
    void aLinearWarmUpClimbsToTheBaseAsOpenClipDoes() {
        // OpenCLIP's _warmup_lr: base · (step + 1) / warmup, then 0.5 · (1 + cos(π (step − warmup)/(total − warmup))).
        CosineSchedule schedule = new CosineSchedule(1.0, 12, 4, 0.123, true);
        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1.0}, IntStream.range(0, 4).mapToDouble(schedule::rate)
                .toArray(), EXACT, "the warm-up rate is not used when the warm-up is linear");
        assertEquals(1.0, schedule.rate(4), EXACT);
        assertEquals(0.5, schedule.rate(8), EXACT);
        assertEquals(0, schedule.rate(12), EXACT);
    }

    @Test
    void aWarmUpAsLongAsTheRunNeverReachesTheCosine() {
        CosineSchedule schedule = new CosineSchedule(1.0, 3, 3, 0.01, false);
        assertEquals(0.01, schedule.rate(2), EXACT);
        assertEquals(1.0, schedule.rate(3), EXACT, "no division by zero");
    }

    @Test
    void anEpochsBatchesCoverEveryIndexOnce() {
        List<int[]> batches = Minibatches.of(10, 3, 42, 0, false);
        assertEquals(List.of(3, 3, 3, 1), batches.stream().map(b -> b.length).toList());
        assertArrayEquals(IntStream.range(0, 10).toArray(), batches.stream().flatMapToInt(Arrays::stream).sorted()
                .toArray());
        assertFalse(Arrays.equals(IntStream.range(0, 10).toArray(), concatenated(batches)), "shuffled");
    }

    @Test
    void dropLastDropsOnlyASmallerFinalBatch() {
        List<int[]> dropped = Minibatches.of(10, 3, 42, 0, true);
        assertEquals(List.of(3, 3, 3), dropped.stream().map(b -> b.length).toList());
        int[] all = concatenated(Minibatches.of(10, 3, 42, 0, false));
        assertArrayEquals(Arrays.copyOf(all, 9), concatenated(dropped), "the same shuffle, less its tail");
        assertEquals(List.of(4, 4), Minibatches.of(8, 4, 1, 0, true).stream().map(b -> b.length).toList());
        assertEquals(List.of(2), Minibatches.of(2, 5, 1, 0, true).stream().map(b -> b.length).toList(),
                "kept when it would leave no batch at all");
        assertTrue(Minibatches.of(0, 5, 1, 0, true).isEmpty());
        assertTrue(Minibatches.of(0, 5, 1, 0, false).isEmpty());
    }

    @Test
    void countSaysHowManyBatchesOfCuts() {
        for (int items = 0; items <= 20; items++) {
            for (int size = 1; size <= 7; size++) {
                for (boolean dropLast : new boolean[] {false, true}) {
                    assertEquals(Minibatches.of(items, size, 5, 3, dropLast).size(), Minibatches.count(items, size,
                            dropLast), items + " items, batches of " + size + ", dropLast " + dropLast);
                }
            }
        }
        assertEquals(4, Minibatches.count(10, 3, false));
        assertEquals(3, Minibatches.count(10, 3, true));
        assertEquals(1, Minibatches.count(2, 5, true));
        assertThrows(IllegalArgumentException.class, () -> Minibatches.count(3, 0, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Minibatches.of(3, 0, 1, 0, false));
        assertEquals("batch size 0 is not positive", e.getMessage());
    }

    @Test
    void theShuffleDependsOnlyOnSeedAndEpoch() {
        int[] epoch3 = concatenated(Minibatches.of(50, 8, 7, 3, false));
        // Asking for other epochs first, or cutting other batches, changes nothing.
        Minibatches.of(50, 8, 7, 2, false);
        assertArrayEquals(epoch3, concatenated(Minibatches.of(50, 8, 7, 3, false)));
        assertArrayEquals(epoch3, concatenated(Minibatches.of(50, 5, 7, 3, false)));
        assertArrayEquals(epoch3, concatenated(Minibatches.of(50, 50, 7, 3, true)));
        List<int[]> orders = new ArrayList<>();
        for (long seed : new long[] {7, 8}) {
            for (int epoch = 0; epoch < 4; epoch++) {
                orders.add(concatenated(Minibatches.of(50, 8, seed, epoch, false)));
            }
        }
        for (int a = 0; a < orders.size(); a++) {
            for (int b = a + 1; b < orders.size(); b++) {
                assertFalse(Arrays.equals(orders.get(a), orders.get(b)), "orders " + a + " and " + b + " differ");
            }
        }
        assertEquals(Minibatches.epochRandom(7, 3).nextLong(), Minibatches.epochRandom(7, 3).nextLong());
    }

    private static int[] concatenated(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }
}
