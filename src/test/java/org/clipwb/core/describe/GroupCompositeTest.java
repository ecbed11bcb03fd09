package org.clipwb.core.describe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.clipwb.core.image.RgbImage;
import org.junit.jupiter.api.Test;

class GroupCompositeTest {
    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLACK = 0;

    private static RgbImage plain(int width, int height, int rgb) {
        byte[] bytes = new byte[width * height * 3];
        for (int i = 0; i < bytes.length; i += 3) {
            bytes[i] = (byte) (rgb >> 16);
            bytes[i + 1] = (byte) (rgb >> 8);
            bytes[i + 2] = (byte) rgb;
        }
        return new RgbImage(width, height, bytes);
    }

    @Test
    void fourImagesFillA2x2GridOf326PixelCellsCentredWithTheirAspectKept() {
        // Wide (2:1) in cell 0: 326 x 163, 81 px of black above. Tall (1:2) in cell 1: 163 x 326, 81 px beside.
        RgbImage composite = GroupComposite.of(List.of(plain(200, 100, RED), plain(100, 200, GREEN),
                plain(10, 10, RED), plain(10, 10, GREEN)));

        assertEquals(672, composite.width());
        assertEquals(672, composite.height());
        assertEquals(BLACK, composite.rgbAt(100, 80), "above the wide image");
        assertEquals(RED, composite.rgbAt(100, 81), "the wide image's top row");
        assertEquals(RED, composite.rgbAt(325, 243), "its bottom right pixel");
        assertEquals(BLACK, composite.rgbAt(100, 244), "below it");
        assertEquals(BLACK, composite.rgbAt(326, 100), "the 20-px gap");
        assertEquals(BLACK, composite.rgbAt(345, 100), "the 20-px gap");
        assertEquals(BLACK, composite.rgbAt(346 + 80, 0), "left of the tall image");
        assertEquals(GREEN, composite.rgbAt(346 + 81, 0), "the tall image's left column");
        assertEquals(GREEN, composite.rgbAt(346 + 243, 325));
        assertEquals(BLACK, composite.rgbAt(346 + 244, 0), "right of it");
        assertEquals(RED, composite.rgbAt(0, 346), "a square image fills its cell, upscaled");
        assertEquals(GREEN, composite.rgbAt(671, 671));
    }

    @Test
    void moreThanFourImagesMakeALargerGridFewerLeaveCellsBlack() {
        RgbImage three = GroupComposite.of(List.of(plain(5, 5, RED), plain(5, 5, RED), plain(5, 5, RED)));
        assertEquals(RED, three.rgbAt(0, 346), "third image: bottom left");
        assertEquals(BLACK, three.rgbAt(671, 671), "no fourth image");

        RgbImage five = GroupComposite.of(Arrays.asList(new RgbImage[5]).stream().map(i -> plain(5, 5, GREEN)).toList());
        int cell = (672 - 2 * 20) / 3;
        assertEquals(GREEN, five.rgbAt(cell + 20, cell + 20), "3x3 grid: fifth image is the centre cell");
        assertEquals(BLACK, five.rgbAt(cell + 5, 0), "first gap of the 3x3 grid");
        assertEquals(BLACK, five.rgbAt(671, 671));
    }

    @Test
    void anEmptyGroupIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> GroupComposite.of(List.of()));
    }
}
