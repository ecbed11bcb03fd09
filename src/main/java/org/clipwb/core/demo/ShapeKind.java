package org.clipwb.core.demo;

import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/** The shapes of the demo world, with the words captions use for them and their outline around the origin. */
public enum ShapeKind {
    CIRCLE("circle", "circles", List.of("round disc")),
    SQUARE("square", "squares", List.of("box")),
    TRIANGLE("triangle", "triangles", List.of()),
    STAR("star", "stars", List.of("five-pointed star")),
    HEART("heart", "hearts", List.of()),
    CROSS("cross", "crosses", List.of("plus sign")),
    CRESCENT("crescent", "crescents", List.of("crescent moon")),
    ARROW("arrow", "arrows", List.of());

    private final String singular;
    private final String plural;
    private final List<String> synonyms;

    ShapeKind(String singular, String plural, List<String> synonyms) {
        this.singular = singular;
        this.plural = plural;
        this.synonyms = synonyms;
    }

    /** The class name: "circle". */
    public String singular() {
        return singular;
    }

    /** "circles". */
    public String plural() {
        return plural;
    }

    /** Other singular phrases captions sometimes use instead of the class name. */
    List<String> synonyms() {
        return synonyms;
    }

    /** The outline for radius 1 around the origin, y pointing down (as in images). */
    Shape outline() {
        switch (this) {
            case CIRCLE:
                return new Ellipse2D.Double(-1, -1, 2, 2);
            case SQUARE:
                return new Rectangle2D.Double(-0.8, -0.8, 1.6, 1.6);
            case TRIANGLE:
                return polygon(3, 1.0, 0, -Math.PI / 2);
            case STAR:
                return polygon(5, 1.0, 0.42, -Math.PI / 2);
            case HEART:
                return heart();
            case CROSS:
                Area cross = new Area(new Rectangle2D.Double(-0.95, -0.3, 1.9, 0.6));
                cross.add(new Area(new Rectangle2D.Double(-0.3, -0.95, 0.6, 1.9)));
                return cross;
            case CRESCENT:
                Area crescent = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
                crescent.subtract(new Area(new Ellipse2D.Double(-0.45, -1.05, 1.9, 1.9)));
                return crescent;
            case ARROW:
                Path2D.Double arrow = new Path2D.Double();
                arrow.moveTo(-1, -0.22);
                arrow.lineTo(0.2, -0.22);
                arrow.lineTo(0.2, -0.6);
                arrow.lineTo(1, 0);
                arrow.lineTo(0.2, 0.6);
                arrow.lineTo(0.2, 0.22);
                arrow.lineTo(-1, 0.22);
                arrow.closePath();
                return arrow;
            default:
                throw new AssertionError(this);
        }
    }

    /** How far the shape may be rotated either way, in degrees (a square tilted by 45 degrees reads as a diamond). */
    double maxRotationDegrees() {
        switch (this) {
            case SQUARE:
            case CROSS:
                return 12;
            case ARROW:
            case CRESCENT:
                return 180;
            default:
                return 25;
        }
    }

    /** A regular polygon (inner radius 0) or a star (alternating outer and inner vertices). */
    private static Shape polygon(int points, double outer, double inner, double startAngle) {
        Path2D.Double path = new Path2D.Double();
        int vertices = inner > 0 ? 2 * points : points;
        for (int i = 0; i < vertices; i++) {
            double radius = inner > 0 && i % 2 == 1 ? inner : outer;
            double angle = startAngle + 2 * Math.PI * i / vertices;
            if (i == 0) {
                path.moveTo(radius * Math.cos(angle), radius * Math.sin(angle));
            } else {
                path.lineTo(radius * Math.cos(angle), radius * Math.sin(angle));
            }
        }
        path.closePath();
        return path;
    }

    private static Shape heart() {
        Path2D.Double heart = new Path2D.Double();
        heart.moveTo(0, 0.95);
        heart.curveTo(-0.55, 0.5, -1.05, 0.1, -0.95, -0.4);
        heart.curveTo(-0.85, -0.95, -0.15, -1.0, 0, -0.45);
        heart.curveTo(0.15, -1.0, 0.85, -0.95, 0.95, -0.4);
        heart.curveTo(1.05, 0.1, 0.55, 0.5, 0, 0.95);
        heart.closePath();
        return heart;
    }
}
