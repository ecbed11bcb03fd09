package org.clipwb.core.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws random scenes of the demo world. Every choice comes from the given random source, so a scene is a pure
 * function of its seed: the same seed renders and captions identically on every machine.
 */
public final class SceneSampler {
    /** Minimum sRGB distance between an object's colour and its backdrop tone, so that no object is invisible. */
    private static final double MIN_CONTRAST = 110;
    private static final double MARGIN = 0.03;

    private SceneSampler() {
    }

    /** The random source for item {@code index} of the stream {@code seed}: independent of every other item. */
    public static SplittableRandom randomFor(long seed, long index) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    }

    /** A scene with every attribute drawn at random. */
    public static Scene sample(SplittableRandom random) {
        return sample(random, null, null, null, false);
    }

    /**
     * A scene with the given shape, colour and fill (each drawn at random when null), the other attributes at random.
     */
    public static Scene sample(SplittableRandom random, ShapeKind shape, ObjectColour colour, Scene.Fill fill) {
        return sample(random, shape, colour, fill, false);
    }

    /**
     * A random scene that, when {@code plain}, is one solid, medium or large object on a plain backdrop: the easy
     * end of the world, which pretraining shows more often early on (a curriculum).
     */
    public static Scene sample(SplittableRandom random, boolean plain) {
        return sample(random, null, null, null, plain);
    }

    /**
     * A random scene with the given shape, colour and fill (each at random when null), plain or not. The order of the
     * draws is part of the output: pretraining's data and the shipped sample projects are pure functions of it.
     */
    private static Scene sample(SplittableRandom random, ShapeKind shape, ObjectColour colour, Scene.Fill fill,
            boolean plain) {
        ShapeKind chosenShape = shape != null ? shape : pick(random, ShapeKind.values());
        ObjectColour chosenColour = colour != null ? colour : pick(random, ObjectColour.values());
        int count = plain || random.nextDouble() < 0.75 ? 1 : random.nextDouble() < 0.68 ? 2 : 3;
        Scene.Size size = plain ? pick(random, Scene.Size.MEDIUM, Scene.Size.LARGE)
                : count == 3 ? pick(random, Scene.Size.SMALL, Scene.Size.MEDIUM)
                : count == 2 ? pick(random, Scene.Size.SMALL, Scene.Size.MEDIUM, Scene.Size.MEDIUM, Scene.Size.LARGE)
                : pick(random, Scene.Size.SMALL, Scene.Size.MEDIUM, Scene.Size.MEDIUM, Scene.Size.LARGE, Scene.Size.LARGE);
        Scene.Fill chosenFill = fill != null ? fill : plain || random.nextDouble() < 0.7 ? Scene.Fill.SOLID
                : pick(random, Scene.Fill.OUTLINE, Scene.Fill.STRIPED, Scene.Fill.DOTTED);
        List<Backdrop.Tone> tones = new ArrayList<>();
        for (Backdrop.Tone tone : Backdrop.Tone.values()) {
            if (distance(tone.rgb(), chosenColour.rgb()) >= MIN_CONTRAST) {
                tones.add(tone);
            }
        }
        Backdrop.Tone tone = tones.get(random.nextInt(tones.size()));
        Backdrop.Pattern pattern = plain || random.nextDouble() < 0.55 ? Backdrop.Pattern.PLAIN
                : pick(random, Backdrop.Pattern.values());
        List<Scene.Placement> placements = place(random, chosenShape, size, count);
        return new Scene(chosenShape, chosenColour, size, chosenFill, tone, pattern, placements, random.nextLong());
    }

    /** Non-overlapping placements inside the image, by rejection; shrinks the objects if they do not fit. */
    private static List<Scene.Placement> place(SplittableRandom random, ShapeKind shape, Scene.Size size, int count) {
        double radius = size.minRadius() + random.nextDouble() * (size.maxRadius() - size.minRadius());
        while (true) {
            List<Scene.Placement> placed = new ArrayList<>();
            for (int attempt = 0; attempt < 200 && placed.size() < count; attempt++) {
                double low = radius + MARGIN;
                double x = low + random.nextDouble() * (1 - 2 * low);
                double y = low + random.nextDouble() * (1 - 2 * low);
                double clearance = 2 * radius + MARGIN;
                boolean free = placed.stream().allMatch(p -> Math.hypot(p.x() - x, p.y() - y) > clearance);
                if (free) {
                    double rotation = (random.nextDouble() * 2 - 1) * shape.maxRotationDegrees();
                    placed.add(new Scene.Placement(x, y, radius, rotation));
                }
            }
            if (placed.size() == count) {
                return placed;
            }
            radius *= 0.9;
        }
    }

    @SafeVarargs
    private static <T> T pick(SplittableRandom random, T... options) {
        return options[random.nextInt(options.length)];
    }

    private static double distance(int rgb1, int rgb2) {
        double dr = (rgb1 >> 16 & 0xFF) - (rgb2 >> 16 & 0xFF);
        double dg = (rgb1 >> 8 & 0xFF) - (rgb2 >> 8 & 0xFF);
        double db = (rgb1 & 0xFF) - (rgb2 & 0xFF);
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }
}
