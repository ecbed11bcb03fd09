package org.clipwb.core.adapt.latte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatasetKindTest {
    @Test
    void kindsAreNamedByTheirSettingWords() {
        for (DatasetKind kind : DatasetKind.values()) {
            assertEquals(kind, DatasetKind.of(kind.word()));
        }
        assertEquals("unknown dataset kind 'flowers' (known: object, flower, food, land-use, scene, texture, aircraft, "
                + "pet, car, action)", assertThrows(IllegalArgumentException.class,
                        () -> DatasetKind.of("flowers")).getMessage());
    }

    @Test
    void onlyFlowerAndFoodPromptsNameTheClass() {
        assertEquals("Describe the rose flower in the photo concisely, less than 20 words.",
                DatasetKind.FLOWER.imagePrompt("rose"));
        assertEquals("Describe the pizza food in the photo concisely, less than 20 words.",
                DatasetKind.FOOD.imagePrompt("pizza"));
        assertEquals("Describe the texture in the photo concisely, less than 20 words.",
                DatasetKind.TEXTURE.imagePrompt("banded"));
    }

    @Test
    void templatesAreTheReferencesTemplatesZero() {
        // methods.md §3.4.
        assertEquals("{} texture.", DatasetKind.TEXTURE.template());
        assertEquals("a photo of a person doing {}", DatasetKind.ACTION.template());
        assertEquals("a photo of a {}, a type of food.", DatasetKind.FOOD.template());
        assertEquals("a photo of a {}.", DatasetKind.LAND_USE.template());
    }
}
