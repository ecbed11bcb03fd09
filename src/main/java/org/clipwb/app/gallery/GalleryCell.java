package org.clipwb.app.gallery;

import java.nio.file.Path;
import java.util.concurrent.Future;
import javafx.beans.InvalidationListener;
import javafx.beans.WeakInvalidationListener;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.clipwb.app.ui.Styles;
import org.controlsfx.control.GridCell;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;

/**
 * One gallery tile: the thumbnail (a placeholder until it is decoded off the FX thread), the file name, the predicted
 * class, a confidence bar with its percentage, and a mark when the prediction disagrees with the folder's label.
 */
final class GalleryCell extends GridCell<GalleryItem> {
    /** The longer side thumbnails are decoded at. */
    static final int THUMBNAIL_SIDE = 156;
    static final double THUMBNAIL_HEIGHT = 117;
    private static final PseudoClass MISTAKE = PseudoClass.getPseudoClass("mistake");

    private final GalleryViewModel model;
    private final ThumbnailLoader thumbnails;
    private final ImageView image = new ImageView();
    private final FontIcon placeholder = Styles.styled(new FontIcon(MaterialDesignI.IMAGE_OUTLINE), "placeholder-icon");
    private final Label name = Styles.label("", "cell-name");
    private final Label predicted = Styles.label("", "cell-class");
    private final FontIcon mistake = Styles.styled(new FontIcon(MaterialDesignA.ALERT_CIRCLE), "mistake-icon");
    private final ProgressBar confidence = Styles.styled(new ProgressBar(), "confidence-bar");
    private final Label percent = Styles.label("", "cell-percent");
    private final VBox content;
    // Held by the cell: the view-model only keeps a weak reference, so discarded cells can be collected.
    private final InvalidationListener selectionListener = observable -> showSelection();
    private Path shownPath;
    private Future<?> pending;

    GalleryCell(GalleryViewModel model, ThumbnailLoader thumbnails) {
        this.model = model;
        this.thumbnails = thumbnails;
        getStyleClass().add("gallery-cell");
        image.setFitWidth(THUMBNAIL_SIDE);
        image.setFitHeight(THUMBNAIL_HEIGHT);
        image.setPreserveRatio(true);
        image.setSmooth(true);
        StackPane frame = Styles.styled(new StackPane(placeholder, image), "thumbnail-frame");
        frame.setMinSize(THUMBNAIL_SIDE, THUMBNAIL_HEIGHT);
        frame.setPrefSize(THUMBNAIL_SIDE, THUMBNAIL_HEIGHT);
        mistake.managedProperty().bind(mistake.visibleProperty());
        HBox classRow = new HBox(4, mistake, predicted);
        classRow.setAlignment(Pos.CENTER_LEFT);
        confidence.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(confidence, Priority.ALWAYS);
        HBox bar = new HBox(6, confidence, percent);
        bar.setAlignment(Pos.CENTER_LEFT);
        content = new VBox(3, frame, name, classRow, bar);
        model.selectedProperty().addListener(new WeakInvalidationListener(selectionListener));
        setOnMouseClicked(event -> {
            if (getItem() != null) {
                model.selectedProperty().set(getItem());
                getGridView().requestFocus();
            }
        });
    }

    @Override
    protected void updateItem(GalleryItem item, boolean empty) {
        super.updateItem(item, empty);
        if (empty || item == null) {
            cancelPending();
            shownPath = null;
            image.setImage(null);
            setGraphic(null);
            setTooltip(null);
            pseudoClassStateChanged(MISTAKE, false);
            updateSelected(false);
            return;
        }
        name.setText(item.fileName());
        predicted.setText(item.predictedClass());
        Styles.showProbability(confidence, item.confidence());
        percent.setText(Styles.percent(item.confidence()));
        mistake.setVisible(item.isMistake());
        pseudoClassStateChanged(MISTAKE, item.isMistake());
        setTooltip(new Tooltip(item.relativePath() + (item.hasLabel() ? "\nFolder label: " + item.labelName() : "")));
        showThumbnail(item.path());
        setGraphic(content);
        showSelection();
    }

    private void showThumbnail(Path path) {
        if (path.equals(shownPath)) {
            return; // the same image again (cells are updated often): keep what is shown or loading
        }
        cancelPending();
        shownPath = path;
        Image cached = thumbnails.cached(path, THUMBNAIL_SIDE);
        image.setImage(cached);
        setPlaceholder(cached == null ? MaterialDesignI.IMAGE_OUTLINE : null);
        if (cached == null) {
            pending = thumbnails.load(path, THUMBNAIL_SIDE, loaded -> {
                if (path.equals(shownPath)) {
                    image.setImage(loaded);
                    setPlaceholder(null);
                }
            }, reason -> {
                if (path.equals(shownPath)) {
                    setPlaceholder(MaterialDesignI.IMAGE_BROKEN_VARIANT);
                    setTooltip(new Tooltip(getItem().relativePath() + "\nCannot show the image: " + reason));
                }
            });
        }
    }

    private void setPlaceholder(MaterialDesignI icon) {
        placeholder.setVisible(icon != null);
        if (icon != null) {
            placeholder.setIconCode(icon);
        }
    }

    private void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void showSelection() {
        updateSelected(getItem() != null && getItem().equals(model.selectedProperty().get()));
    }
}
