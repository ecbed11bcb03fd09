package org.clipwb.core.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.clipwb.core.image.RgbImage;

/**
 * Draws a {@link Scene} with Java2D (antialiased), at any size: geometry is in image fractions, so a scene rendered
 * at 128 px is the same picture as at 64 px. Pure function of the scene; thread-safe.
 */
public final class SceneRenderer {
    private SceneRenderer() {
    }

    /** The scene as an RGB image of {@code size} x {@code size} pixels, in the pretraining style. */
    public static BufferedImage render(Scene scene, int size) {
        return render(scene, size, DomainShift.NONE);
    }

    /** The scene in the style of a shifted target domain. */
    public static BufferedImage render(Scene scene, int size, DomainShift shift) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            SplittableRandom random = new SplittableRandom(scene.seed());
            drawBackdrop(g, scene, size, random);
            shift.drawClutter(g, size, random);
            Color colour = jitter(new Color(scene.colour().rgb()), random, 12);
            for (Scene.Placement placement : scene.placements()) {
                drawObject(g, scene, placement, colour, size);
            }
        } finally {
            g.dispose();
        }
        return shift.equals(DomainShift.NONE) ? image : shift.degrade(image, new SplittableRandom(~scene.seed()));
    }

    /** Converts a rendered image to the workbench's RGB raster. */
    public static RgbImage toRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        byte[] rgb = new byte[argb.length * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return new RgbImage(width, height, rgb);
    }

    private static void drawBackdrop(Graphics2D g, Scene scene, int size, SplittableRandom random) {
        Color tone = jitter(new Color(scene.tone().rgb()), random, 8);
        Color shade = shade(tone, 30);
        g.setColor(tone);
        g.fillRect(0, 0, size, size);
        double cell = size / (6.0 + random.nextInt(5));
        switch (scene.pattern()) {
            case PLAIN:
                break;
            case STRIPED:
                g.setColor(shade);
                Graphics2D rotated = (Graphics2D) g.create();
                rotated.rotate(Math.toRadians(45 * random.nextInt(4)), size / 2.0, size / 2.0);
                for (double x = -size; x < 2 * size; x += cell) {
                    rotated.fill(new Rectangle2D.Double(x, -size, cell / 2, 3 * size));
                }
                rotated.dispose();
                break;
            case CHECKERED:
                g.setColor(shade);
                for (int row = 0; row * cell < size; row++) {
                    for (int column = row % 2; column * cell < size; column += 2) {
                        g.fill(new Rectangle2D.Double(column * cell, row * cell, cell, cell));
                    }
                }
                break;
            case DOTTED:
                g.setColor(shade);
                double dot = cell / 3;
                for (double y = cell / 2; y < size; y += cell) {
                    for (double x = cell / 2; x < size; x += cell) {
                        g.fill(new Ellipse2D.Double(x - dot / 2, y - dot / 2, dot, dot));
                    }
                }
                break;
            case GRADIENT:
                boolean vertical = random.nextBoolean();
                g.setPaint(new GradientPaint(0, 0, tone, vertical ? 0 : size, vertical ? size : 0, shade(tone, 70)));
                g.fillRect(0, 0, size, size);
                break;
            default:
                throw new AssertionError(scene.pattern());
        }
    }

    private static void drawObject(Graphics2D g, Scene scene, Scene.Placement placement, Color colour, int size) {
        double radius = placement.radius() * size;
        AffineTransform transform = new AffineTransform();
        transform.translate(placement.x() * size, placement.y() * size);
        transform.rotate(Math.toRadians(placement.rotationDegrees()));
        transform.scale(radius, radius);
        Shape shape = transform.createTransformedShape(scene.shape().outline());
        g.setColor(colour);
        switch (scene.fill()) {
            case SOLID:
                g.fill(shape);
                break;
            case OUTLINE:
                g.setStroke(new BasicStroke((float) Math.max(1.5, radius * 0.17), BasicStroke.CAP_ROUND,
                        BasicStroke.JOIN_ROUND));
                g.draw(shape);
                break;
            case STRIPED:
            case DOTTED:
                g.fill(shape);
                Graphics2D inside = (Graphics2D) g.create();
                inside.clip(shape);
                inside.setColor(shade(colour, 110));
                drawTexture(inside, scene.fill(), placement, size, radius);
                inside.dispose();
                break;
            default:
                throw new AssertionError(scene.fill());
        }
    }

    /** Stripes or dots across the object's bounding square, in the object's own rotation. */
    private static void drawTexture(Graphics2D g, Scene.Fill fill, Scene.Placement placement, int size, double radius) {
        double cx = placement.x() * size;
        double cy = placement.y() * size;
        g.rotate(Math.toRadians(placement.rotationDegrees() + 30), cx, cy);
        double period = Math.max(3, radius * 0.5);
        for (double y = cy - radius * 1.5; y < cy + radius * 1.5; y += period) {
            if (fill == Scene.Fill.STRIPED) {
                g.fill(new Rectangle2D.Double(cx - radius * 1.5, y, radius * 3, period * 0.45));
            } else {
                for (double x = cx - radius * 1.5; x < cx + radius * 1.5; x += period) {
                    g.fill(new Ellipse2D.Double(x, y, period * 0.5, period * 0.5));
                }
            }
        }
    }

    /** The colour moved {@code amount} towards black when it is light, towards white when it is dark. */
    static Color shade(Color colour, int amount) {
        double luminance = 0.299 * colour.getRed() + 0.587 * colour.getGreen() + 0.114 * colour.getBlue();
        int delta = luminance > 128 ? -amount : amount;
        return new Color(clamp(colour.getRed() + delta), clamp(colour.getGreen() + delta),
                clamp(colour.getBlue() + delta));
    }

    private static Color jitter(Color colour, SplittableRandom random, int amount) {
        return new Color(clamp(colour.getRed() + random.nextInt(-amount, amount + 1)),
                clamp(colour.getGreen() + random.nextInt(-amount, amount + 1)),
                clamp(colour.getBlue() + random.nextInt(-amount, amount + 1)));
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }
}
