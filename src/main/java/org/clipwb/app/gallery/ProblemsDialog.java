package org.clipwb.app.gallery;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Window;
import org.clipwb.app.ui.Theme;
import org.clipwb.app.zeroshot.ZeroShotResult;

/** Lists the files of the folder that are not in the gallery, with the reason for each. */
final class ProblemsDialog {
    private ProblemsDialog() {
    }

    /** Shows the list (non-blocking). */
    static void show(Window owner, ObservableList<ZeroShotResult.FileProblem> problems) {
        TableView<ZeroShotResult.FileProblem> table = new TableView<>(problems);
        table.setId("problemsTable");
        TableColumn<ZeroShotResult.FileProblem, String> path = new TableColumn<>("File");
        path.setCellValueFactory(row -> new ReadOnlyStringWrapper(row.getValue().path().toString()));
        path.setPrefWidth(420);
        TableColumn<ZeroShotResult.FileProblem, String> reason = new TableColumn<>("Reason");
        reason.setCellValueFactory(row -> new ReadOnlyStringWrapper(row.getValue().reason()));
        reason.setPrefWidth(320);
        table.getColumns().add(path);
        table.getColumns().add(reason);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setFixedCellSize(24);
        // Tall enough for the list (header included), up to about fifteen rows.
        table.setPrefSize(780, Math.min(390, 30 + 24 * Math.max(3, problems.size())));
        Alert dialog = Theme.follow(new Alert(Alert.AlertType.INFORMATION, null, ButtonType.CLOSE));
        dialog.initOwner(owner);
        dialog.setTitle("Files not in the gallery");
        dialog.setHeaderText(problems.size() + (problems.size() == 1 ? " file was" : " files were")
                + " skipped or could not be read");
        dialog.getDialogPane().setContent(table);
        dialog.setResizable(true);
        dialog.show();
    }
}
