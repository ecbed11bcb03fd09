package org.clipwb.app.ui;

import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** The Help menu's dialogs: the keyboard cheat sheet and the About box with the papers behind the methods. */
public final class HelpDialogs {
    /** The methods' papers, as the About box lists them (see docs/adaptation.md and the methods specification). */
    static final String[] PAPERS = {
        "CLIP — Radford et al., Learning Transferable Visual Models From Natural Language Supervision, ICML 2021",
        "LLU — Ibing, Lim, Kobbelt, Localized Latent Updates for Fine-Tuning Vision-Language Models, "
                + "arXiv 2212.06556",
        "LatteCLIP — Cao et al., LatteCLIP: Unsupervised CLIP Fine-Tuning via LMM-Synthetic Texts, WACV 2025 "
                + "(arXiv 2410.08211)",
        "CoFT / CoFT+ — Wang, Meng, Cai, Song, Xia, Fine-tuning Pre-trained Vision-Language Models in a "
                + "Human-Annotation-Free Manner, arXiv 2602.04337 (reconstructed from the abstract; dual prompts as "
                + "in DeFT, Wei et al., NeurIPS 2024)",
        "FLYP — Goyal et al., Finetune Like You Pretrain: Improved Finetuning of Zero-Shot Vision Models, CVPR 2023",
        "Tip-Adapter — Zhang et al., Tip-Adapter: Training-free Adaption of CLIP for Few-shot Classification, "
                + "ECCV 2022",
        "CLIP-Adapter — Gao et al., CLIP-Adapter: Better Vision-Language Models with Feature Adapters, IJCV 2023",
        "UPL — Huang, Chu, Wei, Unsupervised Prompt Learning for Vision-Language Models, arXiv 2204.03649",
    };

    private HelpDialogs() {
    }

    /** Shows every shortcut with its keys. */
    public static Alert showShortcuts(Window owner) {
        GridPane table = new GridPane();
        table.setId("shortcutTable");
        table.setHgap(18);
        table.setVgap(6);
        int row = 0;
        for (Shortcut shortcut : Shortcut.values()) {
            Label keys = Styles.label(shortcut.keysText(), "shortcut-keys");
            table.addRow(row++, keys, new Label(shortcut.description()));
        }
        return show(owner, "Keyboard shortcuts", table);
    }

    /** Shows what the workbench is and the papers of the methods it implements. */
    public static Alert showAbout(Window owner) {
        VBox content = new VBox(6);
        content.setId("aboutContent");
        Label intro = new Label("CLIP Workbench adapts CLIP to your own photos without labels: zero-shot "
                + "classification, pseudo-labels and the adaptation methods below, all on your machine.");
        intro.setWrapText(true);
        content.getChildren().addAll(intro, Styles.label("The methods come from these papers:", "section-title"));
        for (String paper : PAPERS) {
            Label line = new Label("• " + paper);
            line.setWrapText(true);
            content.getChildren().add(line);
        }
        content.setPrefWidth(620);
        return show(owner, "About CLIP Workbench", content);
    }

    private static Alert show(Window owner, String header, javafx.scene.Node content) {
        Alert alert = Theme.follow(new Alert(Alert.AlertType.INFORMATION, "", ButtonType.CLOSE));
        alert.initOwner(owner);
        alert.setTitle("CLIP Workbench");
        alert.setHeaderText(header);
        VBox.setMargin(content, new Insets(4));
        alert.getDialogPane().setContent(content);
        alert.show();
        return alert;
    }
}
