package org.clipwb.app.gallery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Bounds;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.util.StringConverter;
import org.clipwb.core.project.RunRecord;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.clipwb.app.ui.Styles;
import org.controlsfx.control.GridView;
import org.controlsfx.control.RangeSlider;
import impl.org.controlsfx.skin.GridViewSkin;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

/**
 * The gallery: a toolbar (the run shown, sort, class filter, confidence range, mistakes only, CoFT clean/noisy and
 * agreement, flipped labels, labeled shots, count), a virtualised grid of {@link GalleryCell}s, and a summary line
 * (accuracy, files left out). Arrow keys move the focus (Shift extends the selection), Ctrl+A selects every visible
 * image, V vouches for the selected labels, C corrects them; the context menu has the same commands.
 */
public final class GalleryView {
    private static final double CELL_WIDTH = 168;
    private static final double CELL_HEIGHT = 200;
    private static final double RUN_CHOICE_WIDTH = 240;

    private final GalleryViewModel model;
    private final GalleryController controller;
    private final GridView<GalleryItem> grid;
    private final BorderPane root = new BorderPane();

    /**
     * Builds the gallery over {@code model}, decoding thumbnails with {@code thumbnails}; {@code controller} runs its
     * labeled-shot commands and lists the runs to show.
     */
    public GalleryView(GalleryViewModel model, ThumbnailLoader thumbnails, GalleryController controller) {
        this.model = model;
        this.controller = controller;
        grid = new GridView<>(model.visibleItems());
        grid.setId("gallery");
        grid.setCellFactory(view -> new GalleryCell(model, thumbnails));
        grid.setCellWidth(CELL_WIDTH);
        grid.setCellHeight(CELL_HEIGHT);
        grid.setHorizontalCellSpacing(5);
        grid.setVerticalCellSpacing(6);
        grid.addEventFilter(KeyEvent.KEY_PRESSED, this::moveSelection);
        grid.addEventHandler(KeyEvent.KEY_PRESSED, this::labelCommands);
        grid.setContextMenu(contextMenu());
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
        // One flow of small groups, the count last: in a narrow window it wraps into more rows, so the gallery is
        // only as wide as its widest group (the confidence range) and every control stays in view.
        FlowPane bar = new FlowPane(14, 6,
                group(Styles.label("Show", "toolbar-label"), runChoice(controller.shownRunProperty(), "runChoice",
                        "Zero-shot")),
                group(new FontIcon(MaterialDesignS.SORT), sort),
                group(new FontIcon(MaterialDesignF.FILTER_VARIANT), byClass),
                group(Styles.label("Confidence", "toolbar-label"), range, rangeText),
                mistakes,
                group(Styles.label("CoFT clean", "toolbar-label"), choice("cleanFilter", SignalFilter.values(),
                        model.cleanFilterProperty(), "Yes: labels CoFT's collaborative filter kept as clean; no: the "
                                + "noisy ones (needs a CoFT run shown)")),
                group(Styles.label("Models agree", "toolbar-label"), choice("agreementFilter", SignalFilter.values(),
                        model.agreementFilterProperty(), "Whether CoFT's two models predict the same class with "
                                + "their positive prompts (needs a CoFT run shown)")),
                group(new FontIcon(MaterialDesignS.SWAP_HORIZONTAL), choice("flipFilter", FlipFilter.values(),
                        model.flipFilterProperty(), "Images whose label changed during the shown run, from "
                                + "zero-shot, or against another run")),
                comparedRunChoice(),
                group(new FontIcon(MaterialDesignS.STAR), Styles.label("Labeled shots", "toolbar-label"),
                        choice("shotFilter", SignalFilter.values(), model.shotFilterProperty(),
                                "Images you vouched for or corrected (V and C)")),
                count);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("gallery-toolbar");
        return bar;
    }

    private static <T> ComboBox<T> choice(String id, T[] values, ObjectProperty<T> property,
            String tooltip) {
        ComboBox<T> box = new ComboBox<>();
        box.setId(id);
        box.getItems().setAll(values);
        box.valueProperty().bindBidirectional(property);
        box.setTooltip(new Tooltip(tooltip));
        return box;
    }

    /** A choice of the project's runs, with {@code none} for no run. */
    private ComboBox<RunRecord> runChoice(ObjectProperty<RunRecord> property, String id,
            String none) {
        ComboBox<RunRecord> box = new ComboBox<>();
        box.setId(id);
        Runnable fill = () -> {
            List<RunRecord> runs = new ArrayList<>();
            runs.add(null);
            runs.addAll(controller.runs());
            box.getItems().setAll(runs);
        };
        fill.run();
        controller.runs().addListener((InvalidationListener) observable -> fill.run());
        box.valueProperty().bindBidirectional(property);
        StringConverter<RunRecord> names = new StringConverter<>() {
            @Override
            public String toString(RunRecord run) {
                return run == null ? none : run.method() + " · " + run.id() + " (" + run.status().name()
                        .toLowerCase(Locale.ROOT) + ")";
            }

            @Override
            public RunRecord fromString(String text) {
                return null;
            }
        };
        box.setConverter(names);
        // A run's name is long: the box shows it cut short (the list and the tooltip show it whole), so that the
        // toolbar wraps rather than growing wider than a narrow window.
        box.setMaxWidth(RUN_CHOICE_WIDTH);
        Tooltip tooltip = new Tooltip();
        tooltip.textProperty().bind(Bindings.createStringBinding(() -> names.toString(box.getValue()),
                box.valueProperty()));
        box.setTooltip(tooltip);
        box.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(RunRecord run, boolean empty) {
                super.updateItem(run, empty);
                setText(names.toString(run));
            }
        });
        return box;
    }

    private Node comparedRunChoice() {
        ComboBox<RunRecord> box = runChoice(controller.comparedRunProperty(), "comparedRunChoice", "Choose a run");
        box.visibleProperty().bind(model.flipFilterProperty().isEqualTo(FlipFilter.FROM_COMPARED_RUN));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    private ContextMenu contextMenu() {
        MenuItem vouch = new MenuItem("Vouch for this label", new FontIcon(MaterialDesignC.CHECK_DECAGRAM));
        vouch.setId("vouchItem");
        vouch.setAccelerator(new KeyCodeCombination(KeyCode.V));
        vouch.setOnAction(event -> controller.vouch(List.copyOf(model.selection())));
        Menu correct = new Menu("Correct this label", new FontIcon(MaterialDesignP.PENCIL));
        correct.setId("correctMenu");
        MenuItem forget = new MenuItem("Remove labeled shot", new FontIcon(MaterialDesignS.STAR_OFF_OUTLINE));
        forget.setId("forgetItem");
        forget.setOnAction(event -> controller.forget(List.copyOf(model.selection())));
        MenuItem selectAll = new MenuItem("Select all shown");
        selectAll.setAccelerator(new KeyCodeCombination(KeyCode.A, KeyCombination.SHORTCUT_DOWN));
        selectAll.setOnAction(event -> model.selectAllVisible());
        ContextMenu menu = new ContextMenu(vouch, correct, forget, new SeparatorMenuItem(), selectAll);
        menu.setOnShowing(event -> {
            correct.getItems().setAll(classItems());
            boolean none = model.selection().isEmpty();
            vouch.setDisable(none);
            correct.setDisable(none);
            forget.setDisable(model.selection().stream().noneMatch(item -> model.shotLabel(item) != null));
        });
        return menu;
    }

    private List<MenuItem> classItems() {
        List<MenuItem> items = new ArrayList<>();
        GalleryItem any = model.selection().stream().findFirst().orElse(null);
        if (any == null) {
            return items;
        }
        for (String name : any.classNames()) {
            MenuItem item = new MenuItem(name);
            item.setId("correctTo-" + name);
            item.setOnAction(event -> controller.correct(List.copyOf(model.selection()), name));
            items.add(item);
        }
        return items;
    }

    /** V vouches for the selected labels; C opens the context menu at the focused tile to pick the right class. */
    private void labelCommands(KeyEvent event) {
        if (event.isShortcutDown() && event.getCode() == KeyCode.A) {
            model.selectAllVisible();
            event.consume();
        } else if (!event.isShortcutDown() && event.getCode() == KeyCode.V && !model.selection().isEmpty()) {
            controller.vouch(List.copyOf(model.selection()));
            event.consume();
        } else if (!event.isShortcutDown() && event.getCode() == KeyCode.C && !model.selection().isEmpty()) {
            Bounds bounds = grid.localToScreen(grid.getBoundsInLocal());
            grid.getContextMenu().show(grid, bounds.getMinX() + 40, bounds.getMinY() + 40);
            event.consume();
        }
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
        model.selectRelative(delta, event.isShiftDown());
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
