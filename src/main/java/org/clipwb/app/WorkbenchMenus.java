package org.clipwb.app;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.clipwb.app.project.NewProjectDialog;
import org.clipwb.app.project.ProjectViewModel;
import org.clipwb.app.ui.HelpDialogs;
import org.clipwb.app.ui.Shortcut;
import org.clipwb.app.ui.Theme;
import org.clipwb.core.demo.SampleProject;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.kordamp.ikonli.materialdesign2.MaterialDesignK;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;

/** The window's menu bar: Project (new, open, recent, samples, import shots, close), View (theme) and Help. */
final class WorkbenchMenus {
    private final WorkbenchWindow window;
    private final ProjectViewModel projects;
    private final ObjectProperty<Theme> theme;
    private final MenuBar bar = new MenuBar();
    private final Menu recent = new Menu("Open recent");

    WorkbenchMenus(WorkbenchWindow window, Theme initialTheme) {
        this.window = window;
        this.projects = window.projects();
        theme = new SimpleObjectProperty<>(this, "theme", initialTheme);
        bar.setId("menuBar");
        bar.getMenus().addAll(projectMenu(), viewMenu(), helpMenu());
    }

    MenuBar menuBar() {
        return bar;
    }

    /** The chosen look; the app applies it and remembers it. */
    ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    private Menu projectMenu() {
        MenuItem create = item("newProjectItem", "New project…", MaterialDesignF.FOLDER_PLUS_OUTLINE,
                Shortcut.NEW_PROJECT, this::newProject);
        MenuItem open = item("openProjectItem", "Open project…", MaterialDesignF.FOLDER_OPEN_OUTLINE,
                Shortcut.OPEN_PROJECT, this::openProject);
        recent.setId("recentProjectsMenu");
        fillRecent();
        projects.recentProjects().addListener((ListChangeListener<Path>) change -> fillRecent());
        Menu samples = new Menu("Sample projects", new FontIcon(MaterialDesignS.SHAPE_OUTLINE));
        samples.setId("sampleProjectsMenu");
        for (SampleProject sample : SampleProject.values()) {
            MenuItem item = new MenuItem(sample.folderName());
            item.setId("sampleMenu-" + sample.folderName());
            item.setOnAction(event -> projects.openSample(sample, project -> window.zeroShot().run()));
            samples.getItems().add(item);
        }
        MenuItem importShots = item("importShotsItem", "Import labeled shots…", MaterialDesignS.STAR_PLUS_OUTLINE,
                null, this::importShots);
        importShots.disableProperty().bind(window.context().projectProperty().isNull());
        MenuItem close = item("closeProjectItem", "Close project", MaterialDesignC.CLOSE_BOX_OUTLINE,
                Shortcut.CLOSE_PROJECT, projects::closeProject);
        close.disableProperty().bind(window.context().projectProperty().isNull());
        Menu menu = new Menu("Project");
        menu.setId("projectMenu");
        menu.getItems().addAll(create, open, recent, samples, new SeparatorMenuItem(), importShots,
                new SeparatorMenuItem(), close);
        return menu;
    }

    private Menu viewMenu() {
        ToggleGroup group = new ToggleGroup();
        Menu looks = new Menu("Theme", new FontIcon(MaterialDesignT.THEME_LIGHT_DARK));
        for (Theme look : Theme.values()) {
            RadioMenuItem item = new RadioMenuItem(look.toString());
            item.setId("theme-" + look.name().toLowerCase(Locale.ROOT));
            item.setToggleGroup(group);
            item.setSelected(look == theme.get());
            item.setOnAction(event -> theme.set(look));
            looks.getItems().add(item);
        }
        theme.addListener((observable, old, look) -> group.getToggles().get(look.ordinal()).setSelected(true));
        MenuItem toggle = item("toggleThemeItem", "Switch light/dark", MaterialDesignT.THEME_LIGHT_DARK,
                Shortcut.TOGGLE_THEME, () -> theme.set(theme.get().toggled()));
        Menu menu = new Menu("View");
        menu.setId("viewMenu");
        menu.getItems().addAll(looks, toggle);
        return menu;
    }

    private Menu helpMenu() {
        MenuItem shortcuts = item("shortcutsItem", "Keyboard shortcuts", MaterialDesignK.KEYBOARD_OUTLINE,
                Shortcut.SHORTCUTS, () -> HelpDialogs.showShortcuts(window.window()));
        MenuItem about = item("aboutItem", "About CLIP Workbench", MaterialDesignI.INFORMATION_OUTLINE, null,
                () -> HelpDialogs.showAbout(window.window()));
        Menu menu = new Menu("Help");
        menu.setId("helpMenu");
        menu.getItems().addAll(shortcuts, about);
        menu.setGraphic(null);
        return menu;
    }

    private void fillRecent() {
        recent.getItems().clear();
        for (Path project : projects.recentProjects()) {
            MenuItem item = new MenuItem(project.getFileName() + "  —  " + project);
            item.setOnAction(event -> projects.open(project, opened -> window.zeroShot().run()));
            recent.getItems().add(item);
        }
        recent.setDisable(recent.getItems().isEmpty());
    }

    private void newProject() {
        new NewProjectDialog(projects, window.zeroShot().modelChoices().specs()).showAndWait(window.window())
                .ifPresent(request -> projects.create(request.directory(), request.settings(), request.shots(),
                        project -> window.zeroShot().run()));
    }

    private void openProject() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a project folder (it holds catalog.sqlite)");
        File chosen = chooser.showDialog(window.window());
        if (chosen != null) {
            projects.open(chosen.toPath(), project -> window.zeroShot().run());
        }
    }

    private void importShots() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Import labeled shots: a CSV of path,label rows");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV files", "*.csv"));
        File chosen = chooser.showOpenDialog(window.window());
        if (chosen != null) {
            window.galleryController().importShots(chosen.toPath());
        }
    }

    private static MenuItem item(String id, String text, Ikon icon, Shortcut shortcut,
            Runnable action) {
        MenuItem item = new MenuItem(text, icon == null ? null : new FontIcon(icon));
        item.setId(id);
        if (shortcut != null) {
            item.setAccelerator(shortcut.keys());
        }
        item.setOnAction(event -> action.run());
        return item;
    }
}
