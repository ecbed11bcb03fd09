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
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

/**
 * One gallery tile: the thumbnail (a placeholder until it is decoded off the FX thread), the file name, the
 * pseudo-label (the shown run's, or the zero-shot prediction), a confidence bar with its percentage, and badges: wrong
 * or correct against the evaluation label, CoFT's clean or noisy verdict, and a labeled shot with its class.
 * Clicks select (Shift for a range, Ctrl to add or remove).
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
    private final FontIcon correct = Styles.styled(new FontIcon(MaterialDesignC.CHECK_CIRCLE), "correct-icon");
    private final FontIcon clean = Styles.styled(new FontIcon(MaterialDesignS.SHIELD_CHECK), "clean-icon");
    private final FontIcon noisy = Styles.styled(new FontIcon(MaterialDesignS.SHIELD_OFF_OUTLINE), "noisy-icon");
    private final FontIcon shot = Styles.styled(new FontIcon(MaterialDesignS.STAR), "shot-icon");
    private final ProgressBar confidence = Styles.styled(new ProgressBar(), "confidence-bar");
    private final Label percent = Styles.label("", "cell-percent");
    private final VBox content;
    // Held by the cell: the view-model only keeps a weak reference, so discarded cells can be collected.
    private final InvalidationListener selectionListener = observable -> showSelection();
    private final InvalidationListener redrawListener = observable -> {
        if (getItem() != null) {
            updateItem(getItem(), false);
        }
    };
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
        for (FontIcon badge : new FontIcon[] {mistake, correct, clean, noisy, shot}) {
            badge.managedProperty().bind(badge.visibleProperty());
        }
        HBox classRow = new HBox(4, mistake, correct, predicted, clean, noisy, shot);
        classRow.setAlignment(Pos.CENTER_LEFT);
        confidence.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(confidence, Priority.ALWAYS);
        HBox bar = new HBox(6, confidence, percent);
        bar.setAlignment(Pos.CENTER_LEFT);
        content = new VBox(3, frame, name, classRow, bar);
        model.selectionChangesProperty().addListener(new WeakInvalidationListener(selectionListener));
        model.redrawsProperty().addListener(new WeakInvalidationListener(redrawListener));
        setOnMousePressed(event -> {
            if (getItem() != null && !(event.isSecondaryButtonDown() && model.selection().contains(getItem()))) {
                model.click(getItem(), event.isShiftDown(), event.isShortcutDown());
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
        predicted.setText(model.pseudoLabelName(item));
        double probability = model.confidence(item);
        Styles.showProbability(confidence, probability);
        percent.setText(Styles.percent(probability));
        boolean wrong = model.isMistake(item);
        mistake.setVisible(wrong);
        correct.setVisible(model.isCorrect(item));
        pseudoClassStateChanged(MISTAKE, wrong);
        Boolean verdict = model.isClean(item);
        clean.setVisible(Boolean.TRUE.equals(verdict));
        noisy.setVisible(Boolean.FALSE.equals(verdict));
        String shotLabel = model.shotLabel(item);
        shot.setVisible(shotLabel != null);
        setTooltip(new Tooltip(item.relativePath() + (item.hasLabel() ? "\nFolder label: " + item.labelName() : "")
                + (shotLabel == null ? "" : "\nLabeled shot: " + shotLabel)
                + (verdict == null ? "" : verdict ? "\nCoFT: kept as clean" : "\nCoFT: judged noisy")));
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
        updateSelected(getItem() != null && model.selection().contains(getItem()));
    }
}
