package org.clipwb.core.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes varied natural-English captions for scenes: random subsets of the attributes, in several word orders and
 * sentence frames ("a small red circle on a striped background", "two stars that are blue", "a photo of a green
 * triangle"), so that the text tower learns compositional language rather than class ids.
 */
public final class Captioner {
    private static final String[] FRAMES = {"%s", "%s", "%s", "a photo of %s", "a photo of %s", "a picture of %s",
        "an image of %s", "a drawing of %s", "a rendering of %s", "a good photo of %s", "a close photo of %s",
        "a simple drawing of %s", "there is %s", "this is %s", "here we see %s", "an illustration of %s",
        "a small image of %s", "art showing %s"};
    private static final String[] NUMBERS = {"", "one", "two", "three"};

    private Captioner() {
    }

    /** A random caption that describes {@code scene}. */
    public static Caption caption(Scene scene, SplittableRandom random) {
        ShapeKind shape = random.nextDouble() < 0.1 ? null : scene.shape();
        ObjectColour colour = random.nextDouble() < 0.65 ? scene.colour() : null;
        Scene.Size size = random.nextDouble() < 0.35 ? scene.size() : null;
        Scene.Fill fill = random.nextDouble() < (scene.fill() == Scene.Fill.SOLID ? 0.12 : 0.4) ? scene.fill() : null;
        boolean saysBackdrop = random.nextDouble() < 0.35;
        Backdrop.Tone tone = saysBackdrop && random.nextDouble() < 0.7 ? scene.tone() : null;
        Backdrop.Pattern pattern = saysBackdrop && (tone == null || random.nextDouble() < 0.5) ? scene.pattern()
                : null;
        Scene.Position position = scene.position() != null && random.nextDouble() < 0.25 ? scene.position() : null;

        int count = scene.count();
        boolean vagueCount = count > 1 && random.nextDouble() < 0.2;
        int minCount = vagueCount ? 2 : count;
        int maxCount = vagueCount ? 3 : count;

        String noun = noun(shape, count, random);
        boolean clause = colour != null && random.nextDouble() < 0.15;
        boolean textureAfter = fill != null && fill != Scene.Fill.SOLID && random.nextDouble() < 0.3;
        List<String> adjectives = new ArrayList<>();
        if (size != null) {
            adjectives.add(size.word());
        }
        if (fill != null && !textureAfter) {
            adjectives.add(fill == Scene.Fill.SOLID && random.nextBoolean() ? "filled" : fill.word());
        }
        if (colour != null && !clause) {
            adjectives.add(colour.word());
        }
        StringBuilder phrase = new StringBuilder(String.join(" ", adjectives));
        if (phrase.length() > 0) {
            phrase.append(' ');
        }
        phrase.append(noun);
        if (clause) {
            phrase.append(count == 1 ? " that is " : " that are ").append(colour.word());
        }
        if (textureAfter) {
            phrase.append(fill == Scene.Fill.STRIPED ? " with stripes"
                    : fill == Scene.Fill.DOTTED ? " with dots" : " drawn as an outline");
        }
        String determiner = vagueCount ? (random.nextBoolean() ? "some" : "several")
                : count > 1 ? NUMBERS[count]
                : random.nextDouble() < 0.15 ? "one" : random.nextDouble() < 0.1 ? "the" : article(phrase);
        if (count == 1 && !determiner.equals("one")) {
            // "a circle" is true of a picture with three circles too (there is a circle in it); "one circle" is not.
            maxCount = 3;
        }
        StringBuilder text = new StringBuilder(determiner).append(' ').append(phrase);
        if (saysBackdrop) {
            text.append(' ').append(backdropPhrase(tone, pattern, random));
        }
        if (position != null) {
            text.append(' ').append(position.phrase());
        }
        String sentence = String.format(FRAMES[random.nextInt(FRAMES.length)], text);
        if (sentence.startsWith("there is ") && count > 1) {
            sentence = "there are " + sentence.substring("there is ".length());
        }
        if (random.nextDouble() < 0.4) {
            sentence += ".";
        }
        return new Caption(sentence, shape, colour, size, fill, tone, pattern, position, minCount, maxCount);
    }

    private static String noun(ShapeKind shape, int count, SplittableRandom random) {
        if (shape == null) {
            String generic = random.nextBoolean() ? "shape" : "object";
            return count == 1 ? generic : generic + "s";
        }
        if (!shape.synonyms().isEmpty() && random.nextDouble() < 0.12) {
            String synonym = shape.synonyms().get(random.nextInt(shape.synonyms().size()));
            return count == 1 ? synonym : plural(synonym);
        }
        return count == 1 ? shape.singular() : shape.plural();
    }

    private static String backdropPhrase(Backdrop.Tone tone, Backdrop.Pattern pattern, SplittableRandom random) {
        String preposition = random.nextDouble() < 0.7 ? "on" : random.nextBoolean() ? "against" : "in front of";
        String noun = random.nextDouble() < 0.8 ? "background" : "backdrop";
        StringBuilder words = new StringBuilder();
        if (pattern != null) {
            words.append(pattern.word()).append(' ');
        }
        if (tone != null) {
            words.append(tone.word()).append(' ');
        }
        words.append(noun);
        return preposition + " " + article(words) + " " + words;
    }

    private static String plural(String noun) {
        return noun.endsWith("s") || noun.endsWith("x") ? noun + "es" : noun + "s";
    }

    private static String article(CharSequence following) {
        return "aeiou".indexOf(following.charAt(0)) >= 0 ? "an" : "a";
    }
}
