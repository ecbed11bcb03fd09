package org.clipwb.core.describe;

import java.util.List;
import org.clipwb.core.image.PillowResampler;
import org.clipwb.core.image.RgbImage;

/**
 * LatteCLIP's picture of a group (methods.md §3.2 P4, {@code concatenate_images_grid}): the images in a square grid
 * (2×2 for up to four) on a 672×672 black canvas with 20-pixel gaps; each image is resized to fit its cell with its
 * aspect ratio kept (sizes truncated, as {@code int()} does) and centred in it.
 *
 * <p>The reference resizes with Pillow's LANCZOS; this uses the project's Pillow-exact antialiased bicubic
 * ({@link PillowResampler}) instead, which approximates it closely (both are windowed, antialiased filters; they
 * differ by a few levels at sharp edges) and keeps one resampler in the code base.
 */
public final class GroupComposite {
    /** Side of the square canvas. */
    public static final int CANVAS_SIDE = 672;
    /** Black pixels between neighbouring cells. */
    public static final int GAP = 20;

    private GroupComposite() {
    }

    /** The grid of {@code images}, row by row in the given order. */
    public static RgbImage of(List<RgbImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a group composite needs at least one image");
        }
        int grid = Math.max(2, (int) Math.ceil(Math.sqrt(images.size())));
        int cell = (CANVAS_SIDE - GAP * (grid - 1)) / grid;
        byte[] canvas = new byte[CANVAS_SIDE * CANVAS_SIDE * 3];
        for (int index = 0; index < images.size(); index++) {
            RgbImage image = images.get(index);
            double ratio = (double) image.width() / image.height();
            // Wider than the (square) cell: full cell width; otherwise full cell height.
            int width = ratio > 1 ? cell : Math.max(1, (int) (cell * ratio));
            int height = ratio > 1 ? Math.max(1, (int) (cell / ratio)) : cell;
            RgbImage resized = PillowResampler.resize(image, width, height);
            int left = index % grid * (cell + GAP) + (cell - width) / 2;
            int top = index / grid * (cell + GAP) + (cell - height) / 2;
            for (int row = 0; row < height; row++) {
                System.arraycopy(resized.rgb(), row * width * 3, canvas, ((top + row) * CANVAS_SIDE + left) * 3,
                        width * 3);
            }
        }
        return new RgbImage(CANVAS_SIDE, CANVAS_SIDE, canvas);
    }
}
