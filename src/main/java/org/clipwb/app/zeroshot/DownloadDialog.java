package org.clipwb.app.zeroshot;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.VBox;
import java.util.function.Supplier;
import javafx.stage.Window;
import org.clipwb.app.ui.Styles;
import org.clipwb.app.ui.Theme;
import org.clipwb.core.store.DownloadProgress;
import org.clipwb.core.util.ProgressText;

/**
 * Shows a model download while it runs: the model and file, a progress bar, the bytes, the rate and the time left,
 * and a Cancel button that cancels the run. It opens when a download starts and closes when the run ends.
 */
public final class DownloadDialog {
    private final ZeroShotViewModel model;
    private final Label file = new Label();
    private final ProgressBar bar = new ProgressBar();
    private final Label numbers = Styles.label("", "hint");
    private Alert alert;

    /** Follows {@code model}'s downloads, with dialogs owned by {@code owner}. */
    public DownloadDialog(ZeroShotViewModel model, Supplier<Window> owner) {
        this.model = model;
        file.setId("downloadFile");
        numbers.setId("downloadNumbers");
        bar.setId("downloadProgress");
        bar.setPrefWidth(420);
        model.downloadProperty().addListener((observable, old, download) -> {
            if (download == null) {
                close();
            } else {
                show(owner.get(), download);
            }
        });
    }

    private void show(Window owner, ZeroShotViewModel.Download download) {
        DownloadProgress progress = download.progress();
        file.setText(download.spec() + ": " + progress.file());
        bar.setProgress(progress.totalBytes() > 0 ? (double) progress.bytesDone() / progress.totalBytes() : -1);
        numbers.setText(ProgressText.bytes(progress.bytesDone(), progress.totalBytes(), progress.bytesPerSecond(),
                progress.eta()));
        if (alert == null) {
            alert = Theme.follow(new Alert(Alert.AlertType.NONE, "", ButtonType.CANCEL));
            alert.initOwner(owner);
            alert.setTitle("CLIP Workbench");
            alert.setHeaderText("Downloading the model");
            alert.getDialogPane().setId("downloadDialog");
            alert.getDialogPane().setContent(new VBox(8, file, bar, numbers));
            alert.setOnHidden(event -> {
                if (alert != null && alert.getResult() == ButtonType.CANCEL) {
                    model.cancel();
                }
                alert = null;
            });
            alert.show();
        }
    }

    private void close() {
        if (alert != null) {
            Alert closing = alert;
            alert = null;
            closing.setResult(ButtonType.OK);
            closing.close();
        }
    }
}
