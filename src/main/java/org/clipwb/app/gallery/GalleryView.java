package org.clipwb.app.gallery;

import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.clipwb.app.ui.Styles;
import org.controlsfx.control.GridView;
import org.controlsfx.control.RangeSlider;
import impl.org.controlsfx.skin.GridViewSkin;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

/**
 * The gallery: a toolbar (sort, class filter, confidence range, mistakes only, count), a virtualised grid of
 * {@link GalleryCell}s, and a summary line (accuracy, files left out). Arrow keys move the selection.
 */
public final class GalleryView {
    private static final double CELL_WIDTH = 168;
    private static final double CELL_HEIGHT = 200;

    private final GalleryViewModel model;
    private final GridView<GalleryItem> grid;
    private final BorderPane root = new BorderPane();

    /** Builds the gallery over {@code model}, decoding thumbnails with {@code thumbnails}. */
    public GalleryView(GalleryViewModel model, ThumbnailLoader thumbnails) {
        this.model = model;
        grid = new GridView<>(model.visibleItems());
        grid.setId("gallery");
        grid.setCellFactory(view -> new GalleryCell(model, thumbnails));
        grid.setCellWidth(CELL_WIDTH);
        grid.setCellHeight(CELL_HEIGHT);
        grid.setHorizontalCellSpacing(5);
        grid.setVerticalCellSpacing(6);
        grid.addEventFilter(KeyEvent.KEY_PRESSED, this::moveSelection);
        root.getStyleClass().add("gallery-pane");
        root.setTop(toolbar());
        root.setCenter(new StackPane(grid, emptyMessage()));
        root.setBottom(summary());
    }

    /** The gallery's root node. */
    public Node node() {
        return root;
    }

    private Node toolbar() {
        ComboBox<GallerySort> sort = new ComboBox<>();
        sort.setId("sortChoice");
        sort.getItems().setAll(GallerySort.values());
        sort.valueProperty().bindBidirectional(model.sortProperty());
        ComboBox<ClassFilter> byClass = new ComboBox<>(model.classFilters());
        byClass.setId("classFilter");
        byClass.valueProperty().bindBidirectional(model.classFilterProperty());
        byClass.setVisibleRowCount(16);
        RangeSlider range = new RangeSlider(0, 1, 0, 1);
        range.setId("confidenceRange");
        range.setPrefWidth(150);
        range.setBlockIncrement(0.05);
        range.lowValueProperty().bindBidirectional(model.minConfidenceProperty());
        range.highValueProperty().bindBidirectional(model.maxConfidenceProperty());
        Label rangeText = Styles.label("", "range-text");
        rangeText.setId("confidenceRangeText");
        rangeText.setMinWidth(Region.USE_PREF_SIZE);
        rangeText.textProperty().bind(Bindings.createStringBinding(() -> String.format(Locale.ROOT, "%.0f–%.0f%%",
                100 * model.minConfidenceProperty().get(), 100 * model.maxConfidenceProperty().get()),
                model.minConfidenceProperty(), model.maxConfidenceProperty()));
        CheckBox mistakes = new CheckBox("Only mistakes");
        mistakes.setId("onlyMistakes");
        mistakes.selectedProperty().bindBidirectional(model.onlyMistakesProperty());
        mistakes.disableProperty().bind(model.labelledProperty().not());
        mistakes.setTooltip(new Tooltip("Images whose prediction disagrees with their class subfolder (only when "
                + "the folder has one subfolder per class)"));
        Label count = Styles.label("", "count-label");
        count.setId("galleryCount");
        count.textProperty().bind(model.countTextProperty());
        count.setMinWidth(Region.USE_PREF_SIZE);
        FlowPane filters = new FlowPane(14, 6,
                group(new FontIcon(MaterialDesignS.SORT), sort),
                group(new FontIcon(MaterialDesignF.FILTER_VARIANT), byClass),
                group(Styles.label("Confidence", "toolbar-label"), range, rangeText),
                mistakes);
        filters.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(filters, Priority.ALWAYS);
        HBox bar = new HBox(12, filters, count);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("gallery-toolbar");
        return bar;
    }

    private Node emptyMessage() {
        Label message = Styles.label("", "empty-message");
        message.setId("galleryEmptyMessage");
        message.setWrapText(true);
        Hyperlink clear = new Hyperlink("Show all images");
        clear.setId("clearFiltersLink");
        clear.setOnAction(event -> model.clearFilters());
        message.textProperty().bind(Bindings.createStringBinding(() -> model.allItems().isEmpty()
                ? "Choose an image folder, a model and a class list, then press Run: the images appear here with "
                        + "their predicted classes. No photos at hand? Open sample project, at the top left"
                : "No image matches the filters",
                model.allItems()));
        clear.visibleProperty().bind(Bindings.isNotEmpty(model.allItems()));
        VBox box = new VBox(6, message, clear);
        box.setAlignment(Pos.CENTER);
        box.setMaxSize(420, Region.USE_PREF_SIZE);
        box.visibleProperty().bind(Bindings.isEmpty(model.visibleItems()));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    private Node summary() {
        Label evaluation = Styles.label("", "evaluation-text");
        evaluation.setId("evaluationText");
        evaluation.textProperty().bind(model.evaluationTextProperty());
        Hyperlink problems = new Hyperlink();
        problems.setId("problemsLink");
        problems.setGraphic(new FontIcon(MaterialDesignA.ALERT_OUTLINE));
        problems.textProperty().bind(Bindings.createStringBinding(() -> model.problems().size()
                + (model.problems().size() == 1 ? " file" : " files") + " skipped or unreadable: show…",
                model.problems()));
        problems.visibleProperty().bind(Bindings.isNotEmpty(model.problems()));
        problems.managedProperty().bind(problems.visibleProperty());
        problems.setOnAction(event -> ProblemsDialog.show(root.getScene().getWindow(), model.problems()));
        HBox box = new HBox(16, evaluation, problems);
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().add("gallery-summary");
        return box;
    }

    /** Arrow keys move the selection through the visible images and keep it in view. */
    private void moveSelection(KeyEvent event) {
        int columns = grid.getSkin() instanceof GridViewSkin<?> skin ? Math.max(1, skin.computeMaxCellsInRow()) : 1;
        int delta = switch (event.getCode()) {
            case LEFT -> -1;
            case RIGHT -> 1;
            case UP -> -columns;
            case DOWN -> columns;
            default -> 0;
        };
        if (delta == 0) {
            return;
        }
        event.consume();
        model.selectRelative(delta);
        int index = model.visibleItems().indexOf(model.selectedProperty().get());
        if (index >= 0 && grid.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
            flow.scrollTo(index / columns);
        }
    }

    private static Node group(Node... nodes) {
        HBox box = new HBox(6, nodes);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }
}
