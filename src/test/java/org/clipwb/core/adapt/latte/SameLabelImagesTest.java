package org.clipwb.core.adapt.latte;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SameLabelImagesTest {
    /** Class 0: images 0, 2, 4, 6, 7, 9 (six); class 1: images 1, 5 (two); class 2: image 3 alone; class 3: 8. */
    private static final int[] LABELS = {0, 1, 0, 2, 0, 1, 0, 0, 3, 0};
    private static final SameLabelImages IMAGES = new SameLabelImages(LABELS);

    @Test
    void partnersAreUniformOverTheAnchorsLabelAnchorIncluded() {
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[LABELS.length];
        int draws = 60_000;
        for (int draw = 0; draw < draws; draw++) {
            counts[IMAGES.partner(4, random)]++;
        }
        // Each of class 0's six images about 10,000 times (binomial sd ≈ 91), the others never.
        for (int image = 0; image < LABELS.length; image++) {
            if (LABELS[image] == 0) {
                assertEquals(draws / 6.0, counts[image], 500, "image " + image);
            } else {
                assertEquals(0, counts[image], "image " + image);
            }
        }
    }

    @Test
    void partnersAreRedrawnOnEveryCallAndRepeatWithTheSeed() {
        int[] anchors = {0, 0, 0, 0, 0, 0, 0, 0, 1, 3};
        int[] first = IMAGES.partners(anchors, new SplittableRandom(7));
        assertArrayEquals(first, IMAGES.partners(anchors, new SplittableRandom(7)));
        assertTrue(Arrays.stream(first, 0, 8).distinct().count() > 1, "eight draws for one anchor all alike");
        assertEquals(3, first[9], "image 3 is alone in its class");
        assertNotEquals(Arrays.toString(first), Arrays.toString(IMAGES.partners(anchors, new SplittableRandom(8))));
    }

    @Test
    void aGroupHasDistinctImagesOfTheLabelWhenItHasEnough() {
        SplittableRandom random = new SplittableRandom(3);
        boolean someGroupLacksTheAnchor = false;
        for (int draw = 0; draw < 200; draw++) {
            int[] group = IMAGES.group(2, 4, random);
            assertEquals(4, group.length);
            assertEquals(4, Arrays.stream(group).distinct().count(), Arrays.toString(group));
            assertTrue(Arrays.stream(group).allMatch(image -> LABELS[image] == 0), Arrays.toString(group));
            someGroupLacksTheAnchor |= Arrays.stream(group).noneMatch(image -> image == 2);
        }
        assertTrue(someGroupLacksTheAnchor, "the anchor is not forced into its group");
    }

    @Test
    void aGroupOfASmallerClassIsDrawnWithReplacement() {
        SplittableRandom random = new SplittableRandom(5);
        int[] pair = IMAGES.group(5, 4, random);
        assertEquals(4, pair.length);
        assertTrue(Arrays.stream(pair).allMatch(image -> image == 1 || image == 5), Arrays.toString(pair));
        assertArrayEquals(new int[] {3, 3, 3, 3}, IMAGES.group(3, 4, random));
    }

    @Test
    void groupsRepeatWithTheSeed() {
        assertArrayEquals(IMAGES.group(0, 4, new SplittableRandom(11)), IMAGES.group(0, 4, new SplittableRandom(11)));
    }
}
