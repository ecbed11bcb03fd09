package org.clipwb.app.gallery;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.clipwb.app.ui.Styles;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.kordamp.ikonli.materialdesign2.MaterialDesignO;

/**
 * The selected image in detail: a larger preview, its path, the predicted class with confidence and margin, the
 * evaluation label when the folder has one, and the five most probable classes with probability bars.
 */
public final class DetailsPane {
    private static final int PREVIEW_SIDE = 512;
    private static final int TOP_CLASSES = 5;

    private final ThumbnailLoader thumbnails;
    private final ImageView preview = new ImageView();
    private final FontIcon previewPlaceholder = Styles.styled(new FontIcon(MaterialDesignI.IMAGE_OUTLINE),
            "placeholder-icon");
    private final Label fileName = Styles.label("", "details-title");
    private final Label path = Styles.label("", "hint");
    private final GridPane facts = new GridPane();
    private final GridPane topClasses = new GridPane();
    private final VBox content;
    private final Label empty = Styles.label("Select an image to see its details", "hint");
    private final ScrollPane scroll;
    private final StackPane root;
    private Path shownPath;
    private Future<?> pending;

    /**
     * @param open opens an image with the desktop's viewer
     */
    public DetailsPane(GalleryViewModel model, ThumbnailLoader thumbnails, Consumer<Path> open) {
        this.thumbnails = thumbnails;
        preview.setPreserveRatio(true);
        preview.setSmooth(true);
        preview.setFitHeight(240);
        StackPane previewFrame = Styles.styled(new StackPane(previewPlaceholder, preview), "preview-frame");
        previewFrame.setMinHeight(240);
        fileName.setId("detailsFileName");
        fileName.setWrapText(true);
        path.setWrapText(true);
        facts.setId("detailsFacts");
        facts.setHgap(8);
        facts.setVgap(4);
        topClasses.setId("detailsTopClasses");
        topClasses.setHgap(6);
        topClasses.setVgap(4);
        ColumnConstraints nameColumn = new ColumnConstraints(60, 100, 140);
        ColumnConstraints barColumn = new ColumnConstraints(60, 100, Double.MAX_VALUE);
        barColumn.setHgrow(Priority.ALWAYS);
        topClasses.getColumnConstraints().addAll(nameColumn, barColumn, new ColumnConstraints());
        Button openButton = new Button("Open image", new FontIcon(MaterialDesignO.OPEN_IN_NEW));
        openButton.setId("openImageButton");
        openButton.setOnAction(event -> {
            if (model.selectedProperty().get() != null) {
                open.accept(model.selectedProperty().get().path());
            }
        });
        content = new VBox(8, previewFrame, fileName, path, facts, Styles.label("Most probable classes",
                "section-title"), topClasses, openButton);
        content.getStyleClass().add("details-content");
        scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        // The preview follows the pane's width; the margin leaves room for the vertical scroll bar.
        preview.fitWidthProperty().bind(scroll.widthProperty().subtract(24));
        scroll.getStyleClass().add("details-scroll");
        empty.setWrapText(true);
        root = new StackPane(scroll, empty);
        root.setId("detailsPane");
        root.getStyleClass().add("details-pane");
        StackPane.setAlignment(empty, Pos.TOP_CENTER);
        model.selectedProperty().addListener((observable, old, item) -> show(item));
        show(null);
    }

    /** The pane's root node. */
    public Node node() {
        return root;
    }

    private void show(GalleryItem item) {
        empty.setVisible(item == null);
        scroll.setVisible(item != null);
        if (pending != null) {
            pending.cancel(false);
        }
        shownPath = item == null ? null : item.path();
        if (item == null) {
            preview.setImage(null);
            return;
        }
        fileName.setText(item.fileName());
        path.setText(item.path().toString());
        facts.getChildren().clear();
        int row = 0;
        addFact(row++, "Predicted", Styles.label(item.predictedClass() + "  " + Styles.percent(item.confidence()),
                "fact-strong"));
        addFact(row++, "Margin", new Label(String.format(Locale.ROOT, "%.3f over the runner-up", item.margin())));
        if (item.hasLabel()) {
            Label label = new Label(item.labelName(), new FontIcon(item.isMistake() ? MaterialDesignA.ALERT_CIRCLE
                    : MaterialDesignC.CHECK_CIRCLE));
            label.getStyleClass().add(item.isMistake() ? "fact-mistake" : "fact-correct");
            label.setId("detailsLabel");
            addFact(row, "Folder label", label);
        }
        topClasses.getChildren().clear();
        int[] top = item.prediction().topK(TOP_CLASSES);
        for (int i = 0; i < top.length; i++) {
            double probability = item.prediction().probabilities()[top[i]];
            Label name = new Label(item.classNames().get(top[i]));
            name.setMinWidth(0);
            ProgressBar bar = Styles.styled(new ProgressBar(), "confidence-bar");
            bar.setMaxWidth(Double.MAX_VALUE);
            Styles.showProbability(bar, probability);
            topClasses.addRow(i, name, bar, Styles.label(Styles.percent(probability), "cell-percent"));
        }
        Path shown = item.path();
        Image sharp = thumbnails.cached(shown, PREVIEW_SIDE);
        // Until the sharp preview is decoded, the gallery's thumbnail (usually cached already) stands in.
        preview.setImage(sharp != null ? sharp : thumbnails.cached(shown, GalleryCell.THUMBNAIL_SIDE));
        previewPlaceholder.setIconCode(MaterialDesignI.IMAGE_OUTLINE);
        previewPlaceholder.setVisible(preview.getImage() == null);
        if (sharp == null) {
            pending = thumbnails.load(shown, PREVIEW_SIDE, image -> {
                if (shown.equals(shownPath)) {
                    preview.setImage(image);
                    previewPlaceholder.setVisible(false);
                }
            }, reason -> {
                if (shown.equals(shownPath)) {
                    previewPlaceholder.setIconCode(MaterialDesignI.IMAGE_BROKEN_VARIANT);
                    path.setText(shown + "\nCannot show the image: " + reason);
                }
            });
        }
    }

    private void addFact(int row, String name, Node value) {
        facts.addRow(row, Styles.label(name, "fact-name"), value);
    }
}
