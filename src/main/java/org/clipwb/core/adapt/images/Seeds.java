package org.clipwb.core.adapt.images;

/**
 * Seeds derived from the run's seed and a path of names and numbers ("phase1", model, epoch, image, view), so that
 * every random choice of a run has its own stream: a resumed run draws what an uninterrupted run drew, whatever
 * ran before it. SplitMix64 finalisation mixes each part in; strings enter through {@link String#hashCode()}, which
 * the Java specification fixes.
 */
public final class Seeds {
    private Seeds() {
    }

    /** The seed of the stream {@code parts} below {@code seed}. */
    public static long of(long seed, Object... parts) {
        long h = mix(seed);
        for (Object part : parts) {
            long value = part instanceof Number number ? number.longValue() : String.valueOf(part).hashCode();
            h = mix(h ^ mix(value + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
