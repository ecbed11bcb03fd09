package org.clipwb.core.demo;

import java.util.List;

/**
 * One image of the demo world: one to three copies of the same shape in the same colour, size and fill, on a
 * backdrop. Everything a caption may say about the image is a field here, so a caption can be checked against it.
 *
 * @param placements where each copy is, in image fractions (centre and radius) with its rotation in degrees
 * @param seed       the seed that varies texture details of the rendering
 */
public record Scene(ShapeKind shape, ObjectColour colour, Size size, Fill fill, Backdrop.Tone tone,
        Backdrop.Pattern pattern, List<Placement> placements, long seed) {

    /** Object sizes; the radius is a fraction of the image side. */
    public enum Size {
        SMALL("small", 0.16, 0.2),
        MEDIUM("medium-sized", 0.23, 0.28),
        LARGE("large", 0.32, 0.4);

        private final String word;
        private final double minRadius;
        private final double maxRadius;

        Size(String word, double minRadius, double maxRadius) {
            this.word = word;
            this.minRadius = minRadius;
            this.maxRadius = maxRadius;
        }

        /** "small". */
        public String word() {
            return word;
        }

        double minRadius() {
            return minRadius;
        }

        double maxRadius() {
            return maxRadius;
        }
    }

    /** How an object is painted. */
    public enum Fill {
        SOLID("solid"),
        OUTLINE("outlined"),
        STRIPED("striped"),
        DOTTED("dotted");

        private final String word;

        Fill(String word) {
            this.word = word;
        }

        /** The adjective: "outlined". */
        public String word() {
            return word;
        }
    }

    /** Where one copy of the shape is: centre and radius as fractions of the image side, rotation in degrees. */
    public record Placement(double x, double y, double radius, double rotationDegrees) {
    }

    /** Coarse position of a single object, as captions say it. */
    public enum Position {
        TOP_LEFT("in the top left corner"),
        TOP_RIGHT("in the top right corner"),
        BOTTOM_LEFT("in the bottom left corner"),
        BOTTOM_RIGHT("in the bottom right corner"),
        LEFT("on the left"),
        RIGHT("on the right"),
        TOP("at the top"),
        BOTTOM("at the bottom"),
        CENTRE("in the middle");

        private final String phrase;

        Position(String phrase) {
            this.phrase = phrase;
        }

        /** "on the left". */
        public String phrase() {
            return phrase;
        }
    }

    public Scene {
        placements = List.copyOf(placements);
        if (placements.isEmpty() || placements.size() > 3) {
            throw new IllegalArgumentException("a scene holds one to three objects, not " + placements.size());
        }
    }

    /** Number of objects. */
    public int count() {
        return placements.size();
    }

    /**
     * The position of a single object, or null when there are several or when the object sits between regions (a
     * caption then says nothing about where it is).
     */
    public Position position() {
        if (count() != 1) {
            return null;
        }
        Placement p = placements.get(0);
        int column = region(p.x());
        int row = region(p.y());
        if (column == AMBIGUOUS || row == AMBIGUOUS) {
            return null;
        }
        if (row == MIDDLE) {
            return column == MIDDLE ? Position.CENTRE : column == LOW ? Position.LEFT : Position.RIGHT;
        }
        if (column == MIDDLE) {
            return row == LOW ? Position.TOP : Position.BOTTOM;
        }
        if (row == LOW) {
            return column == LOW ? Position.TOP_LEFT : Position.TOP_RIGHT;
        }
        return column == LOW ? Position.BOTTOM_LEFT : Position.BOTTOM_RIGHT;
    }

    private static final int LOW = -1;
    private static final int MIDDLE = 0;
    private static final int HIGH = 1;
    private static final int AMBIGUOUS = 2;

    /** Which third of the image a coordinate falls in, or AMBIGUOUS near a boundary between thirds. */
    private static int region(double coordinate) {
        if (coordinate < 0.36) {
            return LOW;
        }
        if (coordinate > 0.64) {
            return HIGH;
        }
        return coordinate > 0.42 && coordinate < 0.58 ? MIDDLE : AMBIGUOUS;
    }
}
