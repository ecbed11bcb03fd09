package org.clipwb.app.ui;

import java.util.Locale;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.Region;

/** Small styling helpers shared by the views; the rules themselves are in workbench.css. */
public final class Styles {
    /** Marks an input whose value is invalid. */
    public static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");

    private Styles() {
    }

    /** The workbench style sheet, for a scene. */
    public static String styleSheet() {
        return Styles.class.getResource("/org/clipwb/app/workbench.css").toExternalForm();
    }

    /** A label with a style class. */
    public static Label label(String text, String styleClass) {
        Label label = new Label(text);
        label.getStyleClass().add(styleClass);
        return label;
    }

    /** A button with an id (for tests and style rules) that runs {@code action} when pressed. */
    public static Button button(String id, String text, Runnable action) {
        Button button = new Button(text);
        button.setId(id);
        button.setOnAction(event -> action.run());
        return button;
    }

    /** A label that keeps its whole text when its row runs short of width (the box beside it shrinks instead). */
    public static Label fixedLabel(String text) {
        Label label = new Label(text);
        label.setMinWidth(Region.USE_PREF_SIZE);
        return label;
    }

    /** Makes a message label take no room while it has nothing to say. */
    public static Label collapsedWhenEmpty(Label label) {
        label.managedProperty().bind(label.textProperty().isNotEmpty());
        label.visibleProperty().bind(label.managedProperty());
        return label;
    }

    /** Adds style classes to a node and returns it. */
    public static <T extends Node> T styled(T node, String... styleClasses) {
        node.getStyleClass().addAll(styleClasses);
        return node;
    }

    /**
     * Shows a probability in a bar coloured from red (0) through amber to green (1), so that confident and doubtful
     * predictions stand apart at a glance.
     */
    public static void showProbability(ProgressBar bar, double probability) {
        bar.setProgress(probability);
        double hue = 120 * Math.max(0, Math.min(1, probability));
        // -fx-accent for Modena, -color-progress-bar-fill for the AtlantaFX themes.
        bar.setStyle(String.format(Locale.ROOT, "-fx-accent: hsb(%1$.0f, 75%%, 78%%); "
                + "-color-progress-bar-fill: hsb(%1$.0f, 75%%, 78%%);", hue));
    }

    /** "87.3%". */
    public static String percent(double probability) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * probability);
    }
}
