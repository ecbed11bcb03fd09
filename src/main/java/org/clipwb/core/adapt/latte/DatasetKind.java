package org.clipwb.core.adapt.latte;

import java.util.Arrays;
import java.util.List;

/**
 * What the target images show, which picks LatteCLIP's three dataset-specific texts: the prompt of each image's
 * description (methods.md §3.2 P3, {@code TEXT_PROMPTs}), the prompt of each group's description (§3.2 P4) and the
 * template of the class descriptions (§3.4, {@code templates[0]}). The reference's datasets are named in each kind;
 * {@link #OBJECT} (Caltech101's texts) is the generic default.
 */
public enum DatasetKind {
    /** Any objects (Caltech101). */
    OBJECT("object", "Describe the object in the photo concisely, less than 20 words.",
            "Describe the common visual attributes of the objects in all the photos concisely, less than 20 words.",
            "a photo of a {}."),
    /**
     * Flowers (Flowers102): the image prompt names the image's zero-shot class. The reference's key for it is in doubt
     * (§3.2, §3.7 Q8); this is {@code classname}, the one its Flowers training script reads.
     */
    FLOWER("flower", "Describe the {} flower in the photo concisely, less than 20 words.",
            "Describe the common visual attributes of the flowers in all the photos concisely, less than 20 words.",
            "a photo of a {}, a type of flower."),
    /** Food (Food101): the image prompt names the image's zero-shot class. */
    FOOD("food", "Describe the {} food in the photo concisely, less than 20 words.",
            "Describe the common visual attributes of the foods in all the photos concisely, less than 20 words.",
            "a photo of a {}, a type of food."),
    /**
     * Land use in satellite images (EuroSAT); the image prompt is {@code classname_eurosat}, though the reference's
     * training script reads another folder (§3.7 Q8).
     */
    LAND_USE("land-use", "Describe the land use in the satellite image concisely, less than 20 words.",
            "Describe the common visual attributes of the land use in all the satellite images concisely, less than 20 "
                    + "words.",
            "a photo of a {}."),
    /** Scenes (SUN397). */
    SCENE("scene", "Describe the scene in the photo concisely, less than 20 words.",
            "Describe the common visual attributes of the scenes in all the photos concisely, less than 20 words.",
            "a photo of a {}."),
    /** Textures (DTD). */
    TEXTURE("texture", "Describe the texture in the photo concisely, less than 20 words.",
            "Describe the common visual attributes of the textures in all the photos concisely, less than 20 words.",
            "{} texture."),
    /** Aircraft (FGVCAircraft). */
    AIRCRAFT("aircraft", "Describe the aircraft in the photo concisely, less than 20 words.",
            "Describe the common visual attributes of the aircrafts in all the photos concisely, less than 20 words.",
            "a photo of a {}, a type of aircraft."),
    /** Pets (OxfordPets). */
    PET("pet", "Describe the pet in the photo concisely, less than 20 words.",
            "Describe the common visual attributes of the pets in all the photos concisely, less than 20 words.",
            "a photo of a {}."),
    /** Cars (StanfordCars). */
    CAR("car", "Describe the car in the photo concisely, less than 20 words.",
            "Describe the common visual attributes of the cars in all the photos concisely, less than 20 words.",
            "a photo of a {}."),
    /** People's actions (UCF101); its template has no final period. */
    ACTION("action", "Describe the action of the person in the photo concisely, less than 20 words.",
            "Describe the common visual attributes of the person's actions in all the photos concisely, less than 20 "
                    + "words.",
            "a photo of a person doing {}");

    /** The words a setting uses for the kinds, in declaration order. */
    public static final List<String> WORDS = Arrays.stream(values()).map(DatasetKind::word).toList();

    private static final String CLASS_PLACEHOLDER = "{}";

    private final String word;
    private final String imagePrompt;
    private final String groupPrompt;
    private final String template;

    DatasetKind(String word, String imagePrompt, String groupPrompt, String template) {
        this.word = word;
        this.imagePrompt = imagePrompt;
        this.groupPrompt = groupPrompt;
        this.template = template;
    }

    /** The kind a setting's word names. */
    public static DatasetKind of(String word) {
        return Arrays.stream(values()).filter(kind -> kind.word.equals(word)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown dataset kind '" + word + "' (known: "
                        + String.join(", ", WORDS) + ")"));
    }

    /** The word a setting uses for this kind. */
    public String word() {
        return word;
    }

    /** The prompt that asks for the description of an image whose zero-shot class is {@code className}. */
    public String imagePrompt(String className) {
        return imagePrompt.replace(CLASS_PLACEHOLDER, className);
    }

    /** The prompt that asks what the images of a group picture have in common. */
    public String groupPrompt() {
        return groupPrompt;
    }

    /** The template of the class descriptions, with {@code {}} where the class name goes. */
    public String template() {
        return template;
    }
}
