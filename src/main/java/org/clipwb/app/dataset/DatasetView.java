package org.clipwb.app.dataset;

import java.util.Locale;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.ui.Styles;

/**
 * The dataset views in one tab pane: confidence histogram with threshold, per-class counts, reliability diagram,
 * confusion matrix and embedding map, all of the latest classification or of the selected run.
 */
public final class DatasetView {
    private final DatasetViewModel viewModel;
    private final BorderPane root = new BorderPane();

    /** The views of {@code context}'s classification and selected run. */
    public DatasetView(WorkbenchContext context) {
        this(context, new AnalysisSource());
    }

    /** The views, sharing loaded run data with the inspector through {@code source}. */
    public DatasetView(WorkbenchContext context, AnalysisSource source) {
        this.viewModel = new DatasetViewModel(context, source);
        TabPane tabs = new TabPane(
                tab("Confidence", new ConfidenceHistogramView(viewModel).node()),
                tab("Classes", new ClassCountsView(viewModel)),
                tab("Reliability", new ReliabilityView(viewModel)),
                tab("Confusion", new ConfusionMatrixView(viewModel)),
                tab("Map", new EmbeddingMapView(viewModel).node()));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("dataset-tabs");
        Label status = Styles.collapsedWhenEmpty(Styles.label("", "dataset-status"));
        status.setId("dataset-status");
        status.textProperty().bind(viewModel.statusProperty());
        root.setTop(status);
        root.setCenter(tabs);
        root.setId("dataset-view");
    }

    private static Tab tab(String title, Node content) {
        Tab tab = new Tab(title, content);
        tab.setId("dataset-tab-" + title.toLowerCase(Locale.ROOT));
        return tab;
    }

    /** The view, for the window to place. */
    public Node node() {
        return root;
    }

    /** Its state: the threshold, the map's projection and colouring, and the open/select callbacks. */
    public DatasetViewModel viewModel() {
        return viewModel;
    }
}
