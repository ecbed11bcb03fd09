package org.clipwb.core.demo;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;

/** A classification task over the demo world: which attribute of a scene is the class, and how to prompt for it. */
public enum WorldTask {
    /** Which shape the objects are; prompts "a photo of a circle." */
    SHAPE("a photo of a {}.") {
        @Override
        public List<String> classNames() {
            return Arrays.stream(ShapeKind.values()).map(ShapeKind::singular).toList();
        }

        @Override
        public int label(Scene scene) {
            return scene.shape().ordinal();
        }

        @Override
        public Scene sample(SplittableRandom random, int label) {
            return SceneSampler.sample(random, ShapeKind.values()[label], null, null);
        }
    },
    /** Which colour the objects are; prompts "a photo of a red shape." */
    COLOUR("a photo of a {} shape.") {
        @Override
        public List<String> classNames() {
            return Arrays.stream(ObjectColour.values()).map(ObjectColour::word).toList();
        }

        @Override
        public int label(Scene scene) {
            return scene.colour().ordinal();
        }

        @Override
        public Scene sample(SplittableRandom random, int label) {
            return SceneSampler.sample(random, null, ObjectColour.values()[label], null);
        }
    },
    /** How the objects are painted (solid, outlined, striped, dotted); prompts "a photo of a striped shape." */
    FILL("a photo of a {} shape.") {
        @Override
        public List<String> classNames() {
            return Arrays.stream(Scene.Fill.values()).map(Scene.Fill::word).toList();
        }

        @Override
        public int label(Scene scene) {
            return scene.fill().ordinal();
        }

        @Override
        public Scene sample(SplittableRandom random, int label) {
            return SceneSampler.sample(random, null, null, Scene.Fill.values()[label]);
        }
    },
    /** How big the objects are (small, medium-sized, large); prompts "a photo of a small shape." */
    SIZE("a photo of a {} shape.") {
        @Override
        public List<String> classNames() {
            return Arrays.stream(Scene.Size.values()).map(Scene.Size::word).toList();
        }

        @Override
        public int label(Scene scene) {
            return scene.size().ordinal();
        }

        @Override
        public Scene sample(SplittableRandom random, int label) {
            // The sampler takes no size: world scenes are drawn until one has it, so every other attribute (and the
            // count, which limits the size) follows the world, and the other tasks' draws stay as they were.
            Scene scene = SceneSampler.sample(random);
            while (label(scene) != label) {
                scene = SceneSampler.sample(random);
            }
            return scene;
        }
    };

    private final String template;

    WorldTask(String template) {
        this.template = template;
    }

    /** The class names, in label order. */
    public abstract List<String> classNames();

    /** The class index of a scene. */
    public abstract int label(Scene scene);

    /** A random scene of class {@code label}, with every other attribute drawn as in the world. */
    public abstract Scene sample(SplittableRandom random, int label);

    /** The classes as the zero-shot classifier takes them. */
    public ClassList classes() {
        return ClassList.parse(String.join("\n", classNames()));
    }

    /** The prompt template that fits the task's class names. */
    public PromptTemplates templates() {
        return PromptTemplates.single(template);
    }

    /** The template text, e.g. "a photo of a {}.". */
    public String template() {
        return template;
    }
}
