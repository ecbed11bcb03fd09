package org.clipwb.app;

import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.stage.Window;
import org.clipwb.app.gallery.DetailsPane;
import org.clipwb.app.gallery.GalleryView;
import org.clipwb.app.gallery.GalleryViewModel;
import org.clipwb.app.gallery.ThumbnailLoader;
import org.clipwb.app.ui.ErrorDialogs;
import org.clipwb.app.zeroshot.ZeroShotPane;
import org.clipwb.app.zeroshot.ZeroShotViewModel;
import org.controlsfx.control.StatusBar;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;

/**
 * The main window's content: the zero-shot inputs on the left, the gallery in the middle, the selected image's
 * details on the right, and a status bar with the run's progress. Wires the features' view-models together.
 */
final class WorkbenchWindow {
    private static final int THUMBNAIL_THREADS = 2;
    /** About 100 MB of decoded thumbnails and previews. */
    private static final long THUMBNAIL_CACHE_PIXELS = 25_000_000;

    private final ZeroShotViewModel zeroShot;
    private final GalleryViewModel gallery = new GalleryViewModel();
    private final ThumbnailLoader thumbnails = new ThumbnailLoader(THUMBNAIL_THREADS, THUMBNAIL_CACHE_PIXELS);
    private final BorderPane root = new BorderPane();

    /**
     * @param open opens a file with the desktop's default application
     */
    WorkbenchWindow(WorkbenchConfig config, Consumer<Path> open) {
        zeroShot = new ZeroShotViewModel(config.modelStore(), config.embeddingCache(), config.sampleProjects());
        zeroShot.resultProperty().addListener((observable, old, result) -> {
            if (result != null) {
                gallery.show(result);
            }
        });
        zeroShot.setOnFailure((what, error) -> ErrorDialogs.show(window(), what, error));
        Node inputs = new ZeroShotPane(zeroShot).node();
        Node details = new DetailsPane(gallery, thumbnails, open).node();
        SplitPane split = new SplitPane(inputs, new GalleryView(gallery, thumbnails).node(), details);
        split.setDividerPositions(0.23, 0.775);
        SplitPane.setResizableWithParent(inputs, false);
        SplitPane.setResizableWithParent(details, false);
        StatusBar status = new StatusBar();
        status.setId("statusBar");
        status.textProperty().bind(zeroShot.messageProperty());
        status.progressProperty().bind(zeroShot.progressProperty());
        status.getRightItems().add(loadedModelLabel());
        root.setCenter(split);
        root.setBottom(status);
        root.getStyleClass().add("workbench");
    }

    private Label loadedModelLabel() {
        Label label = new Label();
        label.setId("loadedModel");
        label.getStyleClass().addAll("loaded-model", "model-path");
        label.setGraphic(new FontIcon(MaterialDesignM.MEMORY));
        label.setMinWidth(160);
        label.setMaxWidth(360);
        label.textProperty().bind(Bindings.createStringBinding(() -> zeroShot.loadedModelProperty().get() == null
                ? "No model loaded" : zeroShot.loadedModelProperty().get(), zeroShot.loadedModelProperty()));
        Tooltip tooltip = new Tooltip();
        tooltip.textProperty().bind(Bindings.createStringBinding(() -> zeroShot.loadedModelProperty().get() == null
                ? "No model in memory: the next run loads one"
                : "Model in memory: " + zeroShot.loadedModelProperty().get()
                        + "\n(closed when you choose another model or precision, or quit)",
                zeroShot.loadedModelProperty()));
        label.setTooltip(tooltip);
        return label;
    }

    /** The window's content. */
    Parent root() {
        return root;
    }

    /** The zero-shot feature. */
    ZeroShotViewModel zeroShot() {
        return zeroShot;
    }

    /** The gallery feature. */
    GalleryViewModel gallery() {
        return gallery;
    }

    /** Ctrl+Enter runs, Escape cancels a run. */
    void installShortcuts(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN),
                zeroShot::run);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), zeroShot::cancel);
    }

    /** Cancels any run, closes the model and stops the thumbnail threads. */
    void close() {
        zeroShot.close();
        thumbnails.close();
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }
}
