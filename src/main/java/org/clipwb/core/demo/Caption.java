package org.clipwb.core.demo;

/**
 * A caption and what it claims about its image. A null claim means the caption says nothing about that attribute,
 * so a caption describes every scene that agrees with its non-null claims: "two blue stars" describes any scene with
 * two blue stars, whatever their size or backdrop. Pretraining uses this to treat every such pair in a batch as a
 * match, not only the pair the caption was written for.
 *
 * @param minCount the fewest objects the caption allows; {@code maxCount} the most
 */
public record Caption(String text, ShapeKind shape, ObjectColour colour, Scene.Size size, Scene.Fill fill,
        Backdrop.Tone tone, Backdrop.Pattern pattern, Scene.Position position, int minCount, int maxCount) {

    /** Whether everything the caption claims is true of {@code scene}. */
    public boolean describes(Scene scene) {
        return (shape == null || shape == scene.shape())
                && (colour == null || colour == scene.colour())
                && (size == null || size == scene.size())
                && (fill == null || fill == scene.fill())
                && (tone == null || tone == scene.tone())
                && (pattern == null || pattern == scene.pattern())
                && (position == null || position == scene.position())
                && scene.count() >= minCount && scene.count() <= maxCount;
    }
}
