package org.clipwb.app.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.util.Locale;
import javafx.application.Application;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Dialog;

/**
 * The light and dark looks: AtlantaFX's Primer themes as the user-agent style sheet, with the workbench's own
 * colours (workbench.css) switched by a {@code dark} style class on each window's root. The main window, its dialogs
 * and its other windows follow the current theme ({@link #follow}), also when it changes while they are open.
 */
public enum Theme {
    LIGHT("Light", new PrimerLight().getUserAgentStylesheet()),
    DARK("Dark", new PrimerDark().getUserAgentStylesheet());

    /** The style class that selects the dark colours of workbench.css. */
    public static final String DARK_CLASS = "dark";
    /** Where a followed root keeps its listener, so that the listener lives exactly as long as the root. */
    private static final String FOLLOWER = "clipwb.theme.follower";
    /** Touched on the FX thread only. */
    private static final ReadOnlyObjectWrapper<Theme> CURRENT = new ReadOnlyObjectWrapper<>(LIGHT);

    private final String label;
    private final String userAgentStylesheet;

    Theme(String label, String userAgentStylesheet) {
        this.label = label;
        this.userAgentStylesheet = userAgentStylesheet;
    }

    /** Makes this the application's theme: every followed window switches to it; on the FX thread. */
    public void apply() {
        Application.setUserAgentStylesheet(userAgentStylesheet);
        CURRENT.set(this);
    }

    /** The AtlantaFX style sheet of this theme, the application's user-agent style sheet while it is applied. */
    public String userAgentStylesheet() {
        return userAgentStylesheet;
    }

    /**
     * Makes {@code root} (a window's root) follow the current theme: the dark class now and after every switch, for
     * as long as {@code root} lives. The window's scene (or {@code root}) must carry workbench.css.
     */
    public static <T extends Parent> T follow(T root) {
        ChangeListener<Theme> mark = (observable, old, theme) -> {
            root.getStyleClass().remove(DARK_CLASS);
            if (theme == DARK) {
                root.getStyleClass().add(DARK_CLASS);
            }
        };
        mark.changed(CURRENT, null, CURRENT.get());
        root.getProperties().put(FOLLOWER, mark);
        CURRENT.addListener(new WeakChangeListener<>(mark));
        return root;
    }

    /** Gives {@code dialog} workbench.css and makes it follow the current theme; returns it. */
    public static <D extends Dialog<?>> D follow(D dialog) {
        dialog.getDialogPane().getStylesheets().add(Styles.styleSheet());
        follow(dialog.getDialogPane());
        return dialog;
    }

    /** Gives {@code scene} (of a window other than a dialog) workbench.css and makes its root follow the theme. */
    public static Scene follow(Scene scene) {
        scene.getStylesheets().add(Styles.styleSheet());
        follow(scene.getRoot());
        return scene;
    }

    /** The other theme. */
    public Theme toggled() {
        return this == LIGHT ? DARK : LIGHT;
    }

    /** The theme named {@code name} (as {@link #name()} writes it), or light when it is none. */
    public static Theme parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            return LIGHT;
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
