package org.clipwb.core.adapt.coft;

import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.label.PseudoLabelPhase;

/**
 * The settings of CoFT and CoFT+ (methods.md §4.4–4.6). CoFT's paper body is unpublished: every choice of the
 * reconstruction is a setting, its default the spec's ★ option, and each description says where the value comes
 * from (DeFT's code for the dual prompts, MoCo v2 for the contrastive term, [INFERRED] where nothing was found).
 */
final class CoftSettings {
    /** Marks a default chosen here on a development draw rather than taken from a source. */
    private static final String TUNED = "[INFERRED, tuned on a development draw]";

    static final String PAIR = "phase1.pair";
    static final String VISUAL_MODULE = "phase1.visual-module";
    static final String VPT_TOKENS = "phase1.vpt-tokens";
    static final String VPT_LAYERS = "phase1.vpt-layers";
    static final String ADAPTER_RATIO = "phase1.adapter-ratio";
    static final String CONTEXT_TOKENS = "phase1.context-tokens";
    static final String CONTEXT_INIT = "phase1.context-init";
    static final String DETACH_NEGATIVE = "phase1.detach-image-in-negative";
    static final String WARMUP_EPOCHS = "phase1.warmup-epochs";
    static final String CROP_MIN = "augment.crop-scale-min";
    static final String CROP_MAX = "augment.crop-scale-max";
    static final String FLIP = "augment.flip";
    static final String RULE = "phase2.rule";
    static final String INIT = "phase2.init";
    static final String HEAD = "phase2.head";
    static final String CACHE_FEATURES = "phase1.cache-features";
    static final String RETAIN_FRACTION = "phase2.retain-fraction";
    static final String LABEL_SMOOTHING = "phase2.label-smoothing";
    static final String SAMPLE_WEIGHTS = "phase2.sample-weights";
    static final String CLASS_BALANCE = "phase2.class-balance";
    static final String WISE_ALPHA = "phase2.wise-alpha";
    static final String MEMORY_MB = "images.memory-mb";
    static final String ROUNDS = "coftplus.rounds";
    static final String RELABEL = "coftplus.relabel";
    static final String REINIT = "coftplus.reinit";
    static final String CLASSIFIER = "coftplus.classifier";
    static final String MOCO_WEIGHT = "moco.weight";
    static final String MOCO_MOMENTUM = "moco.momentum";
    static final String MOCO_QUEUE = "moco.queue";
    static final String MOCO_TEMPERATURE = "moco.temperature";
    static final String MOCO_DIM = "moco.dim";
    static final String MOCO_MLP = "moco.mlp";
    static final String MOCO_APPLY_TO = "moco.apply-to";

    /** Phase-I optimisation keys, {@code phase1.epochs} etc.; Phase II has the same under {@code phase2.}. */
    static String epochs(String phase) {
        return phase + ".epochs";
    }

    static String batchSize(String phase) {
        return phase + ".batch-size";
    }

    static String learningRate(String phase) {
        return phase + ".lr";
    }

    static String momentum(String phase) {
        return phase + ".momentum";
    }

    static String weightDecay(String phase) {
        return phase + ".weight-decay";
    }

    static String maxGradientNorm(String phase) {
        return phase + ".max-grad-norm";
    }

    private CoftSettings() {
    }

    /** CoFT's settings. */
    static List<Setting> coft() {
        List<Setting> all = new ArrayList<>();
        for (Setting shared : PseudoLabelPhase.SETTINGS) {
            all.add(switch (shared.key()) {
                // Every image's balanced label, as DeFT trains on the whole noisy set: the dual prompts, not a
                // confidence cut, decide which labels are clean.
                case "labels.selection" -> withDefault(shared, "all");
                // Zero-shot gives "dotted" to 9 of 600 fills: balanced probabilities (and re-labelling) select from
                // every class.
                case "labels.prior" -> withDefault(shared, PseudoLabelPhase.UNIFORM);
                default -> shared;
            });
        }
        all.add(Setting.choice(PAIR, "phase I", "seeds", List.of("seeds", "modules"),
                "The two models: one backbone with different random init and data order (★), or different visual "
                        + "modules, A with VPT and B with an adapter (standing in for §4.4's VPT vs LoRA) [INFERRED]"));
        all.add(Setting.choice(VISUAL_MODULE, "phase I", "adapter", List.of("vpt", "adapter", "vpt+adapter"),
                "Lightweight visual module of both models: deep visual prompts (the spec's ★, DeFT/sister paper), a "
                        + "CLIP-Adapter [default INFERRED, tuned on a development draw: random VPT tokens drop the demo "
                        + "model from 55% to 30%], or both (§4.4)"));
        all.add(Setting.integer(VPT_TOKENS, "phase I", 20, 1, 1000, "Visual prompt tokens per layer (DeFT vpt_len 20)"));
        all.add(Setting.integer(VPT_LAYERS, "phase I", 0, 0, 1000,
                "Layers that get fresh prompts, from the first; 0 = all (DeFT: all 12)"));
        all.add(Setting.decimal(ADAPTER_RATIO, "phase I", 0.2, 0, 1,
                "CLIP-Adapter residual ratio α, f' = α·A(f) + (1−α)·f (§1.4: 0.2)"));
        all.add(Setting.integer(CONTEXT_TOKENS, "phase I", 16, 1, 64,
                "Context tokens M of the positive and of the negative prompt (DeFT N_CTX 16; 4 with a-photo-of-a)"));
        all.add(Setting.choice(CONTEXT_INIT, "phase I", "random", List.of("random", "a-photo-of-a"),
                "Context init: N(0, 0.02²) (★ DeFT) or the embeddings of \"a photo of a\" (CoOp's ctx_init, M = 4)"));
        all.add(Setting.flag(DETACH_NEGATIVE, "phase I", false,
                "Detach the image feature in S⁻ as DeFT does; ★ CoFT lets L_neg reach the visual module (abstract item 4)"));
        all.add(Setting.integer(WARMUP_EPOCHS, "phase I", 1, 0, 1000,
                "Epochs of the DeFT warm-up loss (all labels taken as clean) before the clean/noisy switch (DeFT: 1)"));
        addOptimizer(all, "phase1", "phase I", 5, 64, 0.03, "DeFT PEFT configs", 10, 64, 0.03);
        all.add(Setting.flag(CACHE_FEATURES, "phase I", true, "With the adapter as the only visual module, train on "
                + "the frozen tower's features of each image, computed once without augmentation (DeFT augments each "
                + "epoch; this is [INFERRED] for speed: 20–30× fewer tower passes on a CPU)"));
        all.add(Setting.decimal(CROP_MIN, "augmentation", 0.5, 0.01, 1,
                "Smallest random-resized-crop area fraction of training views [INFERRED: Tip-Adapter's 0.5; CoOp 0.08]"));
        all.add(Setting.decimal(CROP_MAX, "augmentation", 1.0, 0.01, 1, "Largest crop area fraction (torchvision: 1)"));
        all.add(Setting.flag(FLIP, "augmentation", true, "Random horizontal flips of training views (CoOp, DeFT)"));
        all.add(Setting.choice(RULE, "phase II", "a-preferred", CollaborativeFilter.Rule.WORDS,
                "Collaborative filtering: ŷ_A if B accepts it, else ŷ_B if A accepts it (★); both agree and accept; "
                        + "two sets, one student each, merged by weight averaging [INFERRED]; or alternating passes, the "
                        + "next-best class offered after a rejection, until none is left [INFERRED]"));
        all.add(Setting.choice(INIT, "phase II", "pretrained", List.of("pretrained", "model-a"),
                "Full fine-tuning starts from the pretrained encoder (★) or from model A incl. its visual module "
                        + "(such a run cannot be exported as a CLIP checkpoint)"));
        all.add(Setting.choice(HEAD, "phase II", "validator-text", List.of("validator-text", "zero-shot", "linear"),
                "Classifier: the validating model's frozen positive-prompt text features (★), Phase 0's zero-shot "
                        + "class weights kept fixed [INFERRED], or a linear head (DeFT phase 2) started from the "
                        + "validator's texts and trained"));
        all.add(Setting.decimal(RETAIN_FRACTION, "phase II", 1, 0, 1, "Fraction of each class's retained labels "
                + "kept for fine-tuning, those of highest p_clean (1 = every retained label, the spec; less is a "
                + "class-wise small-loss selection [INFERRED])"));
        addOptimizer(all, "phase2", "phase II", 2, 32, 1e-3, "DeFT FFT configs", 10, 64, 5e-4);
        all.add(Setting.decimal(LABEL_SMOOTHING, "phase II", 0.1, 0, 0.99,
                "Label smoothing ε of the cross-entropy (PyTorch's label_smoothing; DeFT: 0) " + TUNED));
        all.add(Setting.choice(SAMPLE_WEIGHTS, "phase II", "uniform", List.of("uniform", "p-clean"),
                "Weight of each retained label in the cross-entropy: 1 (DeFT), or the validator's p_clean [INFERRED]"));
        all.add(Setting.flag(CLASS_BALANCE, "phase II", true,
                "Reweight the retained labels so that every class weighs the same in total " + TUNED));
        all.add(Setting.decimal(WISE_ALPHA, "phase II", 0.3, 0, 1, "WiSE-FT: the final tower is (1 − α)·pretrained + "
                + "α·fine-tuned (Wortsman et al.; 1 = fine-tuned alone, DeFT) " + TUNED));
        all.add(Setting.integer(MEMORY_MB, "images", 0, 0, 1_000_000,
                "Decoded training images kept in memory, MiB; 0 = a quarter of the heap; the rest is re-decoded"));
        return all;
    }

    private static String tuned(boolean differs) {
        return differs ? "; default " + TUNED : "";
    }

    /** A shared setting with CoFT's own default. */
    private static Setting withDefault(Setting shared, String value) {
        return new Setting(shared.key(), shared.group(), shared.kind(), value, shared.description() + "; CoFT's "
                + "default " + value + " " + TUNED, shared.min(), shared.max(), shared.choices());
    }

    /** CoFT+'s settings: CoFT's plus rounds, class descriptions and momentum contrast (§4.5). */
    static List<Setting> coftPlus() {
        List<Setting> all = coft();
        all.add(Setting.integer(ROUNDS, "CoFT+", 2, 1, 100, "Rounds of Phase I, re-labelling between rounds (★ 2–3)"));
        all.add(Setting.choice(RELABEL, "CoFT+", "mean-positive", List.of("mean-positive", "retained"),
                "Re-labelling between rounds: softmax of the mean S⁺ of A and B, or the retained labels ranked by "
                        + "p_clean; the labels.* rule then selects (§4.5 offers both) [INFERRED default]"));
        all.add(Setting.flag(REINIT, "CoFT+", true,
                "Re-initialise the PEFT modules each round (★, the sister paper's round loop)"));
        all.add(Setting.choice(CLASSIFIER, "CoFT+", "descriptions", List.of("descriptions", "descriptions+templates",
                "templates"), "Phase-0 classifier: mean of the class descriptions' embeddings (CuPL), that averaged "
                        + "with the template classifier (CuPL use_both) [INFERRED equal weights], or templates only"));
        all.add(Setting.decimal(MOCO_WEIGHT, "MoCo", 1, 0, 100, "λ_moco, the weight of the InfoNCE term (★ 1)"));
        all.add(Setting.decimal(MOCO_MOMENTUM, "MoCo", 0.999, 0, 1, "Key-encoder momentum m (MoCo: 0.999)"));
        all.add(Setting.integer(MOCO_QUEUE, "MoCo", 65536, 1, 10_000_000,
                "Queue size K (MoCo: 65536), capped at the number of images"));
        all.add(Setting.decimal(MOCO_TEMPERATURE, "MoCo", 0.2, 1e-3, 10, "InfoNCE temperature T (MoCo v2: 0.2)"));
        all.add(Setting.integer(MOCO_DIM, "MoCo", 128, 1, 65536, "Contrastive feature dimension (MoCo: 128)"));
        all.add(Setting.flag(MOCO_MLP, "MoCo", true, "2-layer MLP projection head (MoCo v2 --mlp); else one linear"));
        all.add(Setting.choice(MOCO_APPLY_TO, "MoCo", "all", List.of("all", "retained"),
                "Images the contrastive term sees: every target image (★, uses the low-confidence ones) or the "
                        + "retained ones"));
        return all;
    }

    /**
     * The optimiser settings of a phase: defaults {@code epochs}, {@code batch}, {@code lr}; the source's values
     * ({@code sourceEpochs} …) are named in the descriptions, and a default that differs is marked as tuned.
     */
    private static void addOptimizer(List<Setting> all, String phase, String group, int epochs, int batch, double lr,
            String source, int sourceEpochs, int sourceBatch, double sourceLr) {
        all.add(Setting.integer(epochs(phase), group, epochs, 1, 100_000, "Epochs (" + source + ": " + sourceEpochs
                + tuned(epochs != sourceEpochs) + ")"));
        all.add(Setting.integer(batchSize(phase), group, batch, 1, 65_536, "Batch size (" + source + ": " + sourceBatch
                + tuned(batch != sourceBatch) + ")"));
        all.add(Setting.decimal(learningRate(phase), group, lr, 0, 10,
                "SGD learning rate, cosine over epochs (" + source + ": " + sourceLr + tuned(lr != sourceLr) + ")"));
        all.add(Setting.decimal(momentum(phase), group, 0.9, 0, 1, "SGD momentum (" + source + ": 0.9)"));
        all.add(Setting.decimal(weightDecay(phase), group, 5e-4, 0, 1, "Weight decay (" + source + ": 5e-4)"));
        all.add(Setting.decimal(maxGradientNorm(phase), group, 0, 0, 1e6, "Clip the gradients' joint L2 norm to this "
                + "(PyTorch clip_grad_norm_); 0 = off, as in " + source + " [INFERRED safeguard]"));
    }
}
