package org.clipwb.app.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.util.Locale;
import javafx.application.Application;
import javafx.scene.Parent;

/**
 * The light and dark looks: AtlantaFX's Primer themes as the user-agent style sheet, with the workbench's own
 * colours switched by a {@code dark} style class on the window's root (see workbench.css).
 */
public enum Theme {
    LIGHT("Light", new PrimerLight().getUserAgentStylesheet()),
    DARK("Dark", new PrimerDark().getUserAgentStylesheet());

    private static final String DARK_CLASS = "dark";

    private final String label;
    private final String userAgentStylesheet;

    Theme(String label, String userAgentStylesheet) {
        this.label = label;
        this.userAgentStylesheet = userAgentStylesheet;
    }

    /** Applies the theme to the application and to the window whose root is {@code root}; on the FX thread. */
    public void apply(Parent root) {
        Application.setUserAgentStylesheet(userAgentStylesheet);
        root.getStyleClass().remove(DARK_CLASS);
        if (this == DARK) {
            root.getStyleClass().add(DARK_CLASS);
        }
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
