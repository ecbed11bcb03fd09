package org.clipwb.app.zeroshot;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.clipwb.app.ui.ErrorDialogs;
import org.clipwb.app.ui.Styles;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.model.Precision;
import org.clipwb.core.util.AtomicFiles;
import org.clipwb.core.util.CommentedLines;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

/**
 * The zero-shot inputs and commands: image folder (and the sample projects), model, templates, class list editor, Run
 * and Cancel. Built in code and bound to a {@link ZeroShotViewModel}; node ids ({@code #imageFolderField},
 * {@code #runButton}, ...) are stable for tests.
 */
public final class ZeroShotPane {
    /** The model picker's entry that opens a folder chooser instead of naming a model. */
    static final String BROWSE_MODEL = "Browse for a model folder…";
    /** The template picker's entry that opens a file chooser. */
    static final String BROWSE_TEMPLATES = "Browse for a template file…";

    private final ZeroShotViewModel model;
    private final ZeroShotForm form;
    private final Consumer<SampleProject> openSample;
    private final VBox root = new VBox();

    /**
     * Builds the pane; {@code openSample} opens a sample project chosen from its menu (as a project, by the shell).
     */
    public ZeroShotPane(ZeroShotViewModel model, Consumer<SampleProject> openSample) {
        this.model = model;
        this.form = model.form();
        this.openSample = openSample;
        root.getStyleClass().add("inputs-pane");
        root.getChildren().addAll(folderSection(), modelSection(), templatesSection(), classListSection(),
                runSection());
        VBox.setVgrow(root.getChildren().get(3), Priority.ALWAYS);
    }

    /** The pane's root node. */
    public Node node() {
        return root;
    }

    private Node folderSection() {
        TextField field = new TextField();
        field.setId("imageFolderField");
        field.setPromptText("A folder of images (class subfolders give an accuracy)");
        field.textProperty().bindBidirectional(form.imageFolderProperty());
        HBox.setHgrow(field, Priority.ALWAYS);
        Button browse = iconButton(new FontIcon(MaterialDesignF.FOLDER_OPEN_OUTLINE), "Choose the image folder");
        browse.setId("browseFolderButton");
        browse.setOnAction(event -> chooseImageFolder());
        Label hint = Styles.label("", "hint");
        hint.setId("imageFolderHint");
        hint.setWrapText(true);
        hint.textProperty().bind(Bindings.createStringBinding(() -> form.imageFolderProperty().get().isBlank() ? ""
                : nullToEmpty(form.folderCheck().get().error()), form.folderCheck(), form.imageFolderProperty()));
        // A blank folder is not shown as an error: the Run hint already asks for one.
        markProblems(field, hint, form.folderCheck(), () -> !form.imageFolderProperty().get().isBlank());
        Styles.collapsedWhenEmpty(hint);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(6, Styles.label("Images", "section-title"), spacer, sampleProjectsButton());
        header.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(4, header, new HBox(6, field, browse), hint);
        box.getStyleClass().add("section");
        return box;
    }

    /** A menu of the sample projects: choosing one opens and runs it, so a new user needs no files of their own. */
    private Node sampleProjectsButton() {
        MenuButton button = new MenuButton("Open sample project", new FontIcon(MaterialDesignS.SHAPE_OUTLINE));
        button.setId("sampleProjectsButton");
        button.setTooltip(new Tooltip("Try the workbench on images it generates, with the bundled demo model "
                + "(generated on first use, in a few seconds)"));
        for (SampleProject project : SampleProject.values()) {
            Label description = Styles.label(project.description(), "hint");
            description.setWrapText(true);
            // A wrapping label still asks for its whole text's width: fix the width so that the text wraps.
            description.setPrefWidth(340);
            description.setMinHeight(Region.USE_PREF_SIZE);
            CustomMenuItem item = new CustomMenuItem(new VBox(1, Styles.label(project.folderName(), "model-name"),
                    description));
            item.setId("sampleProject-" + project.folderName());
            item.setOnAction(event -> openSample.accept(project));
            button.getItems().add(item);
        }
        button.disableProperty().bind(model.runningProperty());
        return button;
    }

    private Node modelSection() {
        ComboBox<String> picker = new ComboBox<>();
        picker.setId("modelChoice");
        picker.setEditable(true);
        picker.setMaxWidth(Double.MAX_VALUE);
        picker.setPromptText("Hugging Face id or model folder");
        List<String> items = new ArrayList<>(model.modelChoices().specs());
        items.add(BROWSE_MODEL);
        picker.getItems().setAll(items);
        picker.setCellFactory(list -> new ModelCell(model.modelChoices()));
        Label description = Styles.label("", "hint");
        description.setId("modelDescription");
        description.setWrapText(true);
        description.textProperty().bind(Bindings.createStringBinding(
                () -> model.modelChoices().describe(form.modelSpecProperty().get()), form.modelSpecProperty()));
        bindPicker(picker, form.modelSpecProperty(), BROWSE_MODEL, this::chooseModelFolder);
        return section("Model", picker, description, precisionChoice(), precisionHint());
    }

    private Node precisionChoice() {
        ComboBox<Precision> choice = new ComboBox<>();
        choice.setId("precisionChoice");
        choice.getItems().setAll(Precision.values());
        choice.setConverter(new StringConverter<>() {
            @Override
            public String toString(Precision precision) {
                return precision == null ? "" : describe(precision);
            }

            @Override
            public Precision fromString(String text) {
                return Stream.of(Precision.values()).filter(precision -> describe(precision).equals(text))
                        .findFirst().orElse(null);
            }
        });
        choice.valueProperty().bindBidirectional(form.precisionProperty());
        choice.setTooltip(new Tooltip("The number format the model computes in; changing it reloads the model"));
        Label label = new Label("Precision");
        label.setLabelFor(choice);
        HBox row = new HBox(6, label, choice);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private Label precisionHint() {
        Label hint = Styles.label("", "hint");
        hint.setId("precisionHint");
        hint.setWrapText(true);
        hint.textProperty().bind(Bindings.createStringBinding(() -> form.precisionProperty().get() == Precision.FP16
                ? "Several times faster on CPUs with AVX-512 FP16 or AMX and on GPUs, but may be slower on older "
                        + "CPUs; embeddings within about 1e-3 of fp32"
                : "The reference numbers. fp16 is several times faster on recent CPUs and on GPUs",
                form.precisionProperty()));
        return hint;
    }

    private Node templatesSection() {
        ComboBox<String> picker = new ComboBox<>();
        picker.setId("templatesChoice");
        picker.setEditable(true);
        picker.setMaxWidth(Double.MAX_VALUE);
        picker.getItems().setAll(PromptTemplates.DEFAULT_TEMPLATE, PromptTemplates.OPENAI_80, BROWSE_TEMPLATES);
        picker.setTooltip(new Tooltip("A template with {} for the class name, openai80 (OpenAI's 80 ImageNet "
                + "templates, averaged), or a file with one template per line"));
        Label hint = Styles.label("", "hint");
        hint.setId("templatesHint");
        hint.setWrapText(true);
        hint.textProperty().bind(Bindings.createStringBinding(() -> {
            Checked<PromptTemplates> check = form.templatesCheck().get();
            return check.ok() ? describe(check.value()) : check.error();
        }, form.templatesCheck()));
        markProblems(picker, hint, form.templatesCheck(), () -> true);
        bindPicker(picker, form.templatesProperty(), BROWSE_TEMPLATES, this::chooseTemplateFile);
        return section("Templates", picker, hint);
    }

    private Node classListSection() {
        TextArea editor = new TextArea();
        editor.setId("classListEditor");
        // Prompt texts lose their line breaks, so the example stays on one line.
        editor.setPromptText("One class per line (for example cat, then dog on the next line). Lines starting "
                + "with # are comments.");
        editor.setPrefRowCount(10);
        editor.textProperty().bindBidirectional(form.classListProperty());
        VBox.setVgrow(editor, Priority.ALWAYS);
        Button load = new Button("Load…", new FontIcon(MaterialDesignF.FILE_DOCUMENT_OUTLINE));
        load.setId("loadClassesButton");
        load.setOnAction(event -> loadClassList());
        Button save = new Button("Save…", new FontIcon(MaterialDesignC.CONTENT_SAVE_OUTLINE));
        save.setId("saveClassesButton");
        save.setOnAction(event -> saveClassList());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label status = Styles.label("", "hint");
        status.setId("classListStatus");
        status.setWrapText(true);
        status.textProperty().bind(Bindings.createStringBinding(() -> {
            Checked<ClassList> check = form.classListCheck().get();
            if (form.classListProperty().get().isBlank()) {
                return "Type at least two classes, or load a class list";
            }
            return check.ok() ? check.value().size() + " classes" : check.error();
        }, form.classListCheck(), form.classListProperty()));
        // An empty list is not shown as an error: the status line asks for classes.
        markProblems(editor, status, form.classListCheck(), () -> !form.classListProperty().get().isBlank());
        HBox header = new HBox(6, Styles.label("Classes", "section-title"), spacer, load, save);
        header.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(4, header, editor, status);
        box.getStyleClass().add("section");
        return box;
    }

    private Node runSection() {
        Button run = new Button();
        run.setId("runButton");
        run.getStyleClass().add("run-button");
        run.setMaxWidth(Double.MAX_VALUE);
        run.textProperty().bind(Bindings.createStringBinding(
                () -> model.planProperty().get() == ZeroShotViewModel.RunPlan.RECLASSIFY ? "Re-classify" : "Run",
                model.planProperty()));
        run.graphicProperty().bind(Bindings.createObjectBinding(
                () -> model.planProperty().get() == ZeroShotViewModel.RunPlan.RECLASSIFY
                        ? new FontIcon(MaterialDesignR.REFRESH) : new FontIcon(MaterialDesignP.PLAY),
                model.planProperty()));
        run.disableProperty().bind(model.canRunProperty().not());
        run.setOnAction(event -> model.run());
        run.setTooltip(new Tooltip("Run zero-shot on the folder (Ctrl+Enter)"));
        Button cancel = new Button("Cancel", new FontIcon(MaterialDesignS.STOP));
        cancel.setId("cancelButton");
        cancel.disableProperty().bind(model.runningProperty().not());
        cancel.setOnAction(event -> model.cancel());
        HBox.setHgrow(run, Priority.ALWAYS);
        Label hint = Styles.label("", "hint");
        hint.setId("runHint");
        hint.setWrapText(true);
        Styles.collapsedWhenEmpty(hint);
        hint.textProperty().bind(Bindings.createStringBinding(() -> {
            String problem = form.firstProblemProperty().get();
            if (problem != null) {
                return problem;
            }
            return model.planProperty().get() == ZeroShotViewModel.RunPlan.RECLASSIFY
                    ? "The images are already embedded: only the classes or templates changed, so this is quick"
                    : "";
        }, form.firstProblemProperty(), model.planProperty()));
        VBox box = new VBox(6, new HBox(6, run, cancel), hint);
        box.getStyleClass().add("section");
        return box;
    }

    /**
     * Keeps an editable picker and a form property in step. The browse entry never reaches the form: choosing it
     * opens a chooser and then shows the chosen path, or the previous value when the user cancels.
     */
    private static void bindPicker(ComboBox<String> picker, StringProperty property, String browseEntry,
            Consumer<Consumer<String>> browse) {
        picker.setValue(property.get());
        property.addListener((observable, old, value) -> {
            if (!Objects.equals(value, picker.getValue())) {
                picker.setValue(value);
            }
        });
        picker.valueProperty().addListener((observable, old, value) -> {
            if (browseEntry.equals(value)) {
                // Changing the value from inside its own change event confuses the combo box: do it afterwards.
                Platform.runLater(() -> browse.accept(chosen -> picker.setValue(chosen != null ? chosen
                        : property.get())));
            } else if (value != null && !value.equals(property.get())) {
                property.set(value);
            }
        });
    }

    private void chooseImageFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose the image folder");
        existingFolder(form.imageFolderProperty().get()).ifPresent(chooser::setInitialDirectory);
        File chosen = chooser.showDialog(window());
        if (chosen != null) {
            form.imageFolderProperty().set(chosen.getAbsolutePath());
        }
    }

    private void chooseModelFolder(Consumer<String> done) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose a model folder (Hugging Face or open_clip layout)");
        File chosen = chooser.showDialog(window());
        done.accept(chosen == null ? null : chosen.getAbsolutePath());
    }

    private void chooseTemplateFile(Consumer<String> done) {
        FileChooser chooser = textFileChooser("Choose a template file (one template with {} per line)");
        File chosen = chooser.showOpenDialog(window());
        done.accept(chosen == null ? null : chosen.getAbsolutePath());
    }

    private void loadClassList() {
        FileChooser chooser = textFileChooser("Load a class list");
        File chosen = chooser.showOpenDialog(window());
        if (chosen == null) {
            return;
        }
        try {
            form.classListProperty().set(CommentedLines.readUtf8(chosen.toPath()));
        } catch (IOException e) {
            ErrorDialogs.show(window(), "Cannot load the class list", e);
        }
    }

    private void saveClassList() {
        FileChooser chooser = textFileChooser("Save the class list");
        chooser.setInitialFileName("classes.txt");
        File chosen = chooser.showSaveDialog(window());
        if (chosen == null) {
            return;
        }
        try {
            AtomicFiles.write(chosen.toPath(), form.classListProperty().get().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            ErrorDialogs.show(window(), "Cannot save the class list", e);
        }
    }

    private FileChooser textFileChooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Text files", "*.txt"),
                new FileChooser.ExtensionFilter("All files", "*"));
        existingFolder(form.imageFolderProperty().get()).map(File::getParentFile)
                .ifPresent(chooser::setInitialDirectory);
        return chooser;
    }

    private static Optional<File> existingFolder(String text) {
        Checked<Path> check = ZeroShotForm.checkFolder(text);
        return check.ok() && Files.isDirectory(check.value()) ? Optional.of(check.value().toFile())
                : Optional.empty();
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    private static String describe(Precision precision) {
        return switch (precision) {
            case FP32 -> "fp32 (full precision)";
            case FP16 -> "fp16 (half precision)";
        };
    }

    private static String describe(PromptTemplates templates) {
        int count = templates.templates().size();
        return count == 1 ? "One template: " + templates.templates().get(0).replace("{}", "<class>")
                : templates.description() + ", averaged per class";
    }

    private static Node section(String title, Node... content) {
        VBox box = new VBox(4);
        box.getStyleClass().add("section");
        box.getChildren().add(Styles.label(title, "section-title"));
        box.getChildren().addAll(content);
        return box;
    }

    private static Button iconButton(FontIcon icon, String tooltip) {
        Button button = new Button(null, icon);
        button.setTooltip(new Tooltip(tooltip));
        return button;
    }

    /**
     * Marks {@code input} and {@code message} as invalid (red, see workbench.css) while {@code check} fails and
     * {@code relevant} holds. Listens to the form's own bindings, which live as long as the form.
     */
    private static void markProblems(Node input, Label message, ObservableValue<? extends Checked<?>> check,
            BooleanSupplier relevant) {
        Runnable apply = () -> {
            boolean invalid = !check.getValue().ok() && relevant.getAsBoolean();
            input.pseudoClassStateChanged(Styles.INVALID, invalid);
            message.pseudoClassStateChanged(Styles.INVALID, invalid);
        };
        check.addListener((observable, old, value) -> apply.run());
        apply.run();
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    /** A model entry: its id and, below, its description and whether it is bundled or downloaded. */
    private static final class ModelCell extends ListCell<String> {
        private final ModelChoices choices;

        ModelCell(ModelChoices choices) {
            this.choices = choices;
        }

        @Override
        protected void updateItem(String spec, boolean empty) {
            super.updateItem(spec, empty);
            if (empty || spec == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            if (BROWSE_MODEL.equals(spec)) {
                setText(spec);
                setGraphic(new FontIcon(MaterialDesignF.FOLDER_SEARCH_OUTLINE));
                return;
            }
            ModelChoices.Choice choice = choices.choice(spec);
            Label name = Styles.label(spec, "model-name");
            Label details = Styles.label(choice == null ? "" : choice.description()
                    + (choice.availability().isEmpty() ? "" : " · " + choice.availability()), "hint");
            details.setWrapText(true);
            details.setMaxWidth(420);
            setText(null);
            setGraphic(new VBox(1, name, details));
        }
    }
}
