package org.clipwb.core.describe;

import java.util.List;

/**
 * One description as the store keeps it.
 *
 * @param subject  the class name, the image's absolute path, or the group's image paths joined by " + "
 * @param prompt   the prompt asked (for classes: {@link DescriptionRequest#summary()})
 * @param provider the {@link DescriptionProvider#id()} that wrote it
 * @param texts    the description; several for a class (CuPL), one for an image or a group
 */
public record StoredDescription(DescriptionKind kind, String subject, String prompt, String provider,
        List<String> texts) {
    public StoredDescription {
        texts = List.copyOf(texts);
    }
}
