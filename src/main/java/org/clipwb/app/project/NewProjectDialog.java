package org.clipwb.app.project;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.clipwb.app.ui.Styles;
import org.clipwb.app.ui.Theme;
import org.clipwb.app.zeroshot.ZeroShotForm;
import org.clipwb.core.zeroshot.PromptTemplates;

/**
 * Asks for a new project: its name and folder, the image folder, the class list (typed, or taken from the image
 * folder's subfolders), the templates, the model and, optionally, labeled shots to import. The inputs are checked as
 * they are typed, with the zero-shot form's own checks; Create stays disabled until they are valid.
 */
public final class NewProjectDialog {
    /** What the user asked for. */
    public record Request(Path directory, ProjectSettings settings, Path shots) {
    }

    private final List<String> modelSpecs;
    private final ZeroShotForm form = new ZeroShotForm();
    private final TextField name = new TextField();
    private final TextField location = new TextField();
    private final TextField shots = new TextField();
    private final Label problem = Styles.label("", "hint");
    private boolean locationEdited;

    /**
     * @param modelSpecs the models to offer (the demo model first)
     */
    public NewProjectDialog(ProjectViewModel projects, List<String> modelSpecs) {
        name.setId("newProjectName");
        name.setPromptText("A name, e.g. bird-feeder-2024");
        location.setId("newProjectFolder");
        location.setPromptText("Where the project keeps its catalog and runs");
        name.textProperty().addListener((observable, old, text) -> {
            if (!locationEdited) {
                location.setText(text.isBlank() ? "" : projects.defaultLocation(text).toString());
            }
        });
        location.setOnKeyTyped(event -> locationEdited = true);
        modelSpecs.stream().findFirst().ifPresent(form.modelSpecProperty()::set);
        this.modelSpecs = modelSpecs;
    }

    /** Shows the dialog and waits; empty when cancelled. */
    public Optional<Request> showAndWait(Window owner) {
        Dialog<Request> dialog = Theme.follow(new Dialog<>());
        dialog.initOwner(owner);
        dialog.setTitle("CLIP Workbench");
        dialog.setHeaderText("New project");
        ButtonType create = new ButtonType("Create", ButtonType.OK.getButtonData());
        dialog.getDialogPane().getButtonTypes().addAll(create, ButtonType.CANCEL);
        dialog.getDialogPane().setContent(content(owner));
        dialog.getDialogPane().setId("newProjectDialog");
        StringBinding firstProblem = firstProblem();
        problem.setId("newProjectProblem");
        problem.textProperty().bind(firstProblem);
        BooleanBinding invalid = firstProblem.isNotEmpty();
        dialog.getDialogPane().lookupButton(create).disableProperty().bind(invalid);
        dialog.setResultConverter(button -> button == create ? request() : null);
        return dialog.showAndWait();
    }

    /** The request the fields describe. */
    Request request() {
        String shotsText = shots.getText().strip();
        return new Request(Path.of(location.getText().strip()).toAbsolutePath().normalize(),
                new ProjectSettings(form.requestProperty().get().folder().toString(), form.classListProperty().get(),
                        form.templatesProperty().get().strip(), form.modelSpecProperty().get().strip(),
                        form.precisionProperty().get()),
                shotsText.isEmpty() ? null : Path.of(shotsText));
    }

    private StringBinding firstProblem() {
        return Bindings.createStringBinding(() -> {
            if (name.getText().isBlank()) {
                return "Give the project a name";
            }
            if (location.getText().isBlank()) {
                return "Choose the project's folder";
            }
            String inputs = form.firstProblemProperty().get();
            return inputs == null ? "" : inputs;
        }, name.textProperty(), location.textProperty(), form.firstProblemProperty());
    }

    private Node content(Window owner) {
        TextField images = new TextField();
        images.setId("newProjectImages");
        images.setPromptText("A folder of images; class subfolders become evaluation labels");
        images.textProperty().bindBidirectional(form.imageFolderProperty());
        TextArea classes = new TextArea();
        classes.setId("newProjectClasses");
        classes.setPromptText("One class per line");
        classes.setPrefRowCount(6);
        classes.textProperty().bindBidirectional(form.classListProperty());
        Button fromFolders = new Button("From the subfolders");
        fromFolders.setId("classesFromFolders");
        fromFolders.disableProperty().bind(Bindings.createBooleanBinding(() -> !form.folderCheck().get().ok(),
                form.folderCheck()));
        fromFolders.setOnAction(event -> classesFromSubfolders());
        ComboBox<String> templates = new ComboBox<>();
        templates.setId("newProjectTemplates");
        templates.setEditable(true);
        templates.getItems().setAll(PromptTemplates.DEFAULT_TEMPLATE, PromptTemplates.OPENAI_80);
        templates.setValue(form.templatesProperty().get());
        templates.valueProperty().addListener((observable, old, value) -> form.templatesProperty().set(
                value == null ? "" : value));
        ComboBox<String> model = new ComboBox<>();
        model.setId("newProjectModel");
        model.setEditable(true);
        model.getItems().setAll(modelSpecs);
        model.setValue(form.modelSpecProperty().get());
        model.valueProperty().addListener((observable, old, value) -> form.modelSpecProperty().set(
                value == null ? "" : value));
        shots.setId("newProjectShots");
        shots.setPromptText("Optional: a CSV of path,label rows or a folder of class subfolders");
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        int row = 0;
        grid.addRow(row++, new Label("Name"), name);
        grid.addRow(row++, new Label("Project folder"), withBrowse(location, () -> chooseFolder(owner,
                "Choose the project folder", location)));
        grid.addRow(row++, new Label("Images"), withBrowse(images, () -> chooseFolder(owner,
                "Choose the image folder", images)));
        grid.addRow(row++, new Label("Classes"), classes);
        grid.add(fromFolders, 1, row++);
        grid.addRow(row++, new Label("Templates"), templates);
        grid.addRow(row++, new Label("Model"), model);
        grid.addRow(row++, new Label("Labeled shots"), withBrowse(shots, () -> chooseShots(owner)));
        grid.add(problem, 1, row);
        problem.setWrapText(true);
        problem.setMaxWidth(460);
        GridPane.setHgrow(classes, Priority.ALWAYS);
        grid.setPrefWidth(620);
        return grid;
    }

    /** Fills the class list with the image folder's subfolders (their names are the evaluation labels). */
    void classesFromSubfolders() {
        try (Stream<Path> children = Files.list(form.folderCheck().get().value())) {
            List<String> folders = children.filter(Files::isDirectory).map(dir -> dir.getFileName().toString())
                    .filter(dirName -> !dirName.startsWith(".")).sorted().toList();
            form.classListProperty().set(String.join("\n", folders) + (folders.isEmpty() ? "" : "\n"));
        } catch (IOException e) {
            problem.textProperty().unbind();
            problem.setText("Cannot read the image folder: " + e.getMessage());
        }
    }

    private static Node withBrowse(TextField field, Runnable browse) {
        Button button = new Button("Browse…");
        button.setOnAction(event -> browse.run());
        HBox.setHgrow(field, Priority.ALWAYS);
        return new HBox(6, field, button);
    }

    private static void chooseFolder(Window owner, String title, TextField into) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(title);
        File chosen = chooser.showDialog(owner);
        if (chosen != null) {
            into.setText(chosen.getAbsolutePath());
        }
    }

    private void chooseShots(Window owner) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Choose a CSV of labeled shots (path,label rows)");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV files", "*.csv"));
        File chosen = chooser.showOpenDialog(owner);
        if (chosen != null) {
            shots.setText(chosen.getAbsolutePath());
        }
    }
}
