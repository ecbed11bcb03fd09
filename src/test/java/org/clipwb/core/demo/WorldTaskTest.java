package org.clipwb.core.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The classification tasks over the demo world: a scene drawn for a class is of that class, in the captions' words. */
class WorldTaskTest {

    @Test
    void aSceneDrawnForAClassIsLabelledWithThatClass() {
        for (WorldTask task : WorldTask.values()) {
            for (int label = 0; label < task.classNames().size(); label++) {
                for (int i = 0; i < 30; i++) {
                    Scene scene = task.sample(SceneSampler.randomFor(21, i), label);
                    assertEquals(label, task.label(scene), task + " " + scene);
                }
            }
        }
    }

    @Test
    void theFillTaskNamesEachFillAsCaptionsDoAndLeavesTheOtherAttributesToChance() {
        assertEquals(List.of("solid", "outlined", "striped", "dotted"), WorldTask.FILL.classNames());
        Set<String> captionWords = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            var random = SceneSampler.randomFor(6, i);
            captionWords.addAll(List.of(Captioner.caption(SceneSampler.sample(random), random).text().split("\\W+")));
        }
        assertTrue(captionWords.containsAll(WorldTask.FILL.classNames()), "the demo model read these words");

        Set<ShapeKind> shapes = EnumSet.noneOf(ShapeKind.class);
        Set<ObjectColour> colours = EnumSet.noneOf(ObjectColour.class);
        for (int i = 0; i < 300; i++) {
            Scene striped = WorldTask.FILL.sample(SceneSampler.randomFor(9, i), Scene.Fill.STRIPED.ordinal());
            assertEquals(Scene.Fill.STRIPED, striped.fill());
            shapes.add(striped.shape());
            colours.add(striped.colour());
        }
        assertEquals(EnumSet.allOf(ShapeKind.class), shapes);
        assertEquals(EnumSet.allOf(ObjectColour.class), colours);
    }

    @Test
    void fixingNoAttributeDrawsTheUnconstrainedWorld() {
        for (int i = 0; i < 50; i++) {
            assertEquals(SceneSampler.sample(SceneSampler.randomFor(13, i)),
                    SceneSampler.sample(SceneSampler.randomFor(13, i), null, null, null));
        }
    }
}
