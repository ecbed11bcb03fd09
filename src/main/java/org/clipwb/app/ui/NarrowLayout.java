package org.clipwb.app.ui;

import java.util.function.Consumer;
import javafx.geometry.Orientation;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.Region;

/**
 * Switches a view between its side-by-side layout and a stacked one as its width crosses a threshold, so that a
 * view beside the window's side panes in a small window stacks its parts rather than cutting them off.
 */
public final class NarrowLayout {
    private NarrowLayout() {
    }

    /**
     * Calls {@code arrange} with whether {@code region} is narrower than {@code threshold}: now, and each time that
     * changes (not on every resize). A region not laid out yet (no width) counts as wide.
     */
    public static void follow(Region region, double threshold, Consumer<Boolean> arrange) {
        boolean[] narrow = {isNarrow(region.getWidth(), threshold)};
        arrange.accept(narrow[0]);
        region.widthProperty().addListener((observable, old, width) -> {
            if (isNarrow(width.doubleValue(), threshold) != narrow[0]) {
                narrow[0] = !narrow[0];
                arrange.accept(narrow[0]);
            }
        });
    }

    private static boolean isNarrow(double width, double threshold) {
        return width > 0 && width < threshold;
    }

    /** {@code split}'s parts side by side, or one above the other (each keeping its share) when narrow. */
    public static void stack(SplitPane split, boolean narrow) {
        double[] positions = split.getDividerPositions();
        split.setOrientation(narrow ? Orientation.VERTICAL : Orientation.HORIZONTAL);
        split.setDividerPositions(positions);
    }
}
