package org.clipwb.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ScrollPane;
import javafx.stage.Window;
import org.testfx.util.WaitForAsyncUtils;

/** Checks that a window's controls are laid out in view: shown, with a size, inside an area (in scene coordinates). */
final class InView {
    private InView() {
    }

    /**
     * Resizes {@code window} for a check; closing the result gives it its size back, since the primary stage serves
     * every later test of the run (and a new scene keeps a stage's explicit size).
     */
    static AutoCloseable resized(Window window, double width, double height) throws Exception {
        double[] before = WaitForAsyncUtils.asyncFx(() -> new double[] {window.getWidth(), window.getHeight()})
                .get(10, TimeUnit.SECONDS);
        resize(window, width, height);
        return () -> resize(window, before[0], before[1]);
    }

    private static void resize(Window window, double width, double height) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            window.setWidth(width);
            window.setHeight(height);
        }).get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** {@code node}'s layout bounds (a region's own box, not what its children overflow it by) in its scene. */
    static Bounds sceneBounds(Node node) {
        return node.localToScene(node.getLayoutBounds());
    }

    /**
     * Scrolls the scroll pane around {@code control}, if there is one, as little as brings the control's top into view
     * and as much of the control as fits, as a user would before using it. Call on the FX thread.
     */
    static void scrollIntoView(Node control) {
        for (Node ancestor = control.getParent(); ancestor != null; ancestor = ancestor.getParent()) {
            if (ancestor instanceof ScrollPane scroll) {
                Node content = scroll.getContent();
                Bounds inContent = content.sceneToLocal(sceneBounds(control));
                double range = content.getLayoutBounds().getHeight() - scroll.getViewportBounds().getHeight();
                double offset = Math.max(0, inContent.getMaxY() - scroll.getViewportBounds().getHeight());
                scroll.setVvalue(range <= 0 ? 0 : Math.min(1, Math.min(inContent.getMinY(), offset) / range));
                scroll.layout();
                return;
            }
        }
    }

    /**
     * Asserts that {@code control} (named {@code name} in messages) is shown, with some width and height, and lies
     * within {@code area} and within each of its ancestors below {@code area} (their clips where they have one: a
     * split pane or a scroll pane cuts off what overflows its part), give or take half a pixel.
     */
    static void assertWithin(String name, Node control, Node area) throws Exception {
        String problem = WaitForAsyncUtils.asyncFx(() -> problem(control, area)).get(10, TimeUnit.SECONDS);
        assertTrue(problem.isEmpty(), name + ": " + problem);
    }

    private static String problem(Node control, Node area) {
        if (!control.isVisible()) {
            return "hidden";
        }
        Bounds bounds = sceneBounds(control);
        if (bounds.getWidth() <= 0 || bounds.getHeight() <= 0) {
            return "no size: " + bounds;
        }
        for (Node ancestor = control.getParent(); ancestor != null; ancestor = up(ancestor)) {
            // What a node shows is its clip where it has one (a split pane's part).
            Bounds outer = ancestor.getClip() != null ? ancestor.localToScene(ancestor.getClip().getBoundsInParent())
                    : sceneBounds(ancestor);
            if (bounds.getMinX() < outer.getMinX() - 0.5 || bounds.getMaxX() > outer.getMaxX() + 0.5
                    || bounds.getMinY() < outer.getMinY() - 0.5 || bounds.getMaxY() > outer.getMaxY() + 0.5) {
                return bounds + " overflows " + ancestor + " at " + outer;
            }
            if (ancestor == area) {
                return "";
            }
        }
        return "not inside " + area;
    }

    /** The scroll pane whose content {@code node} is (past the skin's moving viewport), else the parent. */
    private static Node up(Node node) {
        for (Node parent = node.getParent(); parent != null; parent = parent.getParent()) {
            if (parent instanceof ScrollPane scroll) {
                return scroll.getContent() == node ? scroll : node.getParent();
            }
        }
        return node.getParent();
    }
}
