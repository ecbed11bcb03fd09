package org.clipwb.core.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.clipwb.core.image.RgbImage;
import org.junit.jupiter.api.Test;

/** The procedural world: deterministic scenes, truthful captions, renders that show what the scene says. */
class DemoWorldTest {

    @Test
    void aSceneAndItsRenderArePureFunctionsOfTheSeed() {
        for (int i = 0; i < 20; i++) {
            Scene first = SceneSampler.sample(SceneSampler.randomFor(11, i));
            Scene again = SceneSampler.sample(SceneSampler.randomFor(11, i));
            assertEquals(first, again);
            assertArrayEquals(pixels(SceneRenderer.render(first, 64)), pixels(SceneRenderer.render(again, 64)));
        }
        assertNotEquals(SceneSampler.sample(SceneSampler.randomFor(11, 0)),
                SceneSampler.sample(SceneSampler.randomFor(12, 0)));
    }

    @Test
    void everyCaptionDescribesItsOwnSceneAndNamesWhatItClaims() {
        Set<ShapeKind> shapes = EnumSet.noneOf(ShapeKind.class);
        Set<ObjectColour> colours = EnumSet.noneOf(ObjectColour.class);
        for (int i = 0; i < 3000; i++) {
            SplittableRandom random = SceneSampler.randomFor(5, i);
            Scene scene = SceneSampler.sample(random);
            Caption caption = Captioner.caption(scene, random);
            shapes.add(scene.shape());
            colours.add(scene.colour());
            assertTrue(caption.describes(scene), caption + " vs " + scene);
            boolean exactlyOne = caption.text().contains("one ") || caption.position() != null;
            if (scene.count() == 1 && !exactlyOne) {
                assertEquals(3, caption.maxCount(), "a singular caption allows more copies: " + caption.text());
            }
            String text = caption.text();
            if (caption.colour() != null) {
                assertTrue(text.contains(caption.colour().word()), text);
            }
            if (caption.shape() != null && caption.shape().synonyms().stream().noneMatch(text::contains)) {
                assertTrue(text.contains(scene.count() == 1 ? caption.shape().singular() : caption.shape().plural()),
                        text);
            }
            if (caption.position() != null) {
                assertTrue(text.contains(caption.position().phrase()), text);
            }
            assertFalse(text.matches(".*\\ba [aeiou].*"), "article before a vowel: " + text);
            assertFalse(text.matches(".*\\ban [^aeiou].*"), "article before a consonant: " + text);
        }
        assertEquals(EnumSet.allOf(ShapeKind.class), shapes);
        assertEquals(EnumSet.allOf(ObjectColour.class), colours);
    }

    @Test
    void captionsClaimOnlyWhatTheySay() {
        Scene twoBlueStars = scene(ShapeKind.STAR, ObjectColour.BLUE, 2);
        Caption twoBlueStarsCaption = new Caption("two blue stars", ShapeKind.STAR, ObjectColour.BLUE, null, null,
                null, null, null, 2, 2);
        assertTrue(twoBlueStarsCaption.describes(twoBlueStars));
        assertFalse(twoBlueStarsCaption.describes(scene(ShapeKind.STAR, ObjectColour.RED, 2)));
        assertFalse(twoBlueStarsCaption.describes(scene(ShapeKind.STAR, ObjectColour.BLUE, 1)));
        assertFalse(twoBlueStarsCaption.describes(scene(ShapeKind.HEART, ObjectColour.BLUE, 2)));
        Caption aStar = new Caption("a star", ShapeKind.STAR, null, null, null, null, null, null, 1, 3);
        assertTrue(aStar.describes(twoBlueStars), "there is a star in a picture of two");
        Caption someShapes = new Caption("some shapes", null, null, null, null, null, null, null, 2, 3);
        assertTrue(someShapes.describes(scene(ShapeKind.HEART, ObjectColour.RED, 3)));
        assertFalse(someShapes.describes(scene(ShapeKind.HEART, ObjectColour.RED, 1)));
    }

    @Test
    void objectsFitTheImageDoNotOverlapAndStandOutFromTheBackdrop() {
        for (int i = 0; i < 2000; i++) {
            Scene scene = SceneSampler.sample(SceneSampler.randomFor(8, i));
            List<Scene.Placement> placements = scene.placements();
            for (int a = 0; a < placements.size(); a++) {
                Scene.Placement p = placements.get(a);
                assertTrue(p.x() - p.radius() >= 0 && p.x() + p.radius() <= 1, scene.toString());
                assertTrue(p.y() - p.radius() >= 0 && p.y() + p.radius() <= 1, scene.toString());
                for (int b = a + 1; b < placements.size(); b++) {
                    Scene.Placement q = placements.get(b);
                    assertTrue(Math.hypot(p.x() - q.x(), p.y() - q.y()) > p.radius() + q.radius(), scene.toString());
                }
            }
            assertNotEquals(scene.colour().word(), scene.tone().word());
        }
    }

    @Test
    void aSingleSolidObjectIsDrawnInItsColourAtItsPlace() {
        Scene scene = new Scene(ShapeKind.SQUARE, ObjectColour.BLUE, Scene.Size.LARGE, Scene.Fill.SOLID,
                Backdrop.Tone.WHITE, Backdrop.Pattern.PLAIN, List.of(new Scene.Placement(0.5, 0.5, 0.3, 0)), 1);
        RgbImage image = SceneRenderer.toRgb(SceneRenderer.render(scene, 64));
        assertColourNear(ObjectColour.BLUE.rgb(), image.rgbAt(32, 32), 14);
        assertColourNear(Backdrop.Tone.WHITE.rgb(), image.rgbAt(2, 2), 10);
    }

    @Test
    void positionsAreNamedOnlyWhenClear() {
        assertEquals(Scene.Position.TOP_LEFT, single(0.2, 0.2).position());
        assertEquals(Scene.Position.RIGHT, single(0.8, 0.5).position());
        assertEquals(Scene.Position.BOTTOM, single(0.5, 0.8).position());
        assertEquals(Scene.Position.CENTRE, single(0.5, 0.5).position());
        assertNull(single(0.39, 0.5).position());
        assertNull(scene(ShapeKind.STAR, ObjectColour.BLUE, 2).position());
    }

    @Test
    void aDomainShiftChangesTheImageMoreAsItGetsStronger() {
        Scene scene = SceneSampler.sample(SceneSampler.randomFor(4, 2));
        int[] clean = pixels(SceneRenderer.render(scene, 64));
        assertArrayEquals(clean, pixels(SceneRenderer.render(scene, 64, DomainShift.ofSeverity(0))));
        double mild = meanAbsoluteDifference(clean, pixels(SceneRenderer.render(scene, 64,
                DomainShift.ofSeverity(0.3))));
        double strong = meanAbsoluteDifference(clean, pixels(SceneRenderer.render(scene, 64,
                DomainShift.ofSeverity(0.9))));
        assertTrue(mild > 2 && strong > 1.5 * mild, "mild " + mild + ", strong " + strong);
        assertThrows(IllegalArgumentException.class, () -> new DomainShift(0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new DomainShift(-1, 1, 0, 0));
    }

    private static Scene single(double x, double y) {
        return new Scene(ShapeKind.CIRCLE, ObjectColour.RED, Scene.Size.SMALL, Scene.Fill.SOLID, Backdrop.Tone.WHITE,
                Backdrop.Pattern.PLAIN, List.of(new Scene.Placement(x, y, 0.1, 0)), 1);
    }

    private static Scene scene(ShapeKind shape, ObjectColour colour, int count) {
        List<Scene.Placement> placements = List.of(new Scene.Placement(0.2, 0.2, 0.1, 0),
                new Scene.Placement(0.8, 0.8, 0.1, 0), new Scene.Placement(0.2, 0.8, 0.1, 0)).subList(0, count);
        return new Scene(shape, colour, Scene.Size.SMALL, Scene.Fill.SOLID, Backdrop.Tone.WHITE,
                Backdrop.Pattern.PLAIN, placements, 1);
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static double meanAbsoluteDifference(int[] a, int[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                sum += Math.abs((a[i] >> shift & 0xFF) - (b[i] >> shift & 0xFF));
            }
        }
        return sum / (3.0 * a.length);
    }

    private static void assertColourNear(int expected, int actual, int tolerance) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int e = expected >> shift & 0xFF;
            int a = actual >> shift & 0xFF;
            assertTrue(Math.abs(e - a) <= tolerance, String.format("expected ~%06X, got %06X", expected, actual));
        }
    }
}
