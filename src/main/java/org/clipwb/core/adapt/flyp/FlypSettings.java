package org.clipwb.core.adapt.flyp;

import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.label.PseudoLabelPhase;

/** FLYP's settings (methods.md §1.6), each with its source. */
final class FlypSettings {
    static final String CAPTIONS = "flyp.captions";
    static final String EPOCHS = "flyp.epochs";
    static final String BATCH_SIZE = "flyp.batch-size";
    static final String LEARNING_RATE = "flyp.lr";
    static final String WEIGHT_DECAY = "flyp.weight-decay";
    static final String WARMUP = "flyp.warmup-fraction";
    static final String CROP_MIN = "flyp.crop-min";
    static final String TRAIN_LOGIT_SCALE = "flyp.train-logit-scale";
    static final String MEMORY_MB = "flyp.memory-mb";

    /** The captions of an image: its label under the first template, or under every template. */
    static final String FIRST_TEMPLATE = "first-template";
    static final String EVERY_TEMPLATE = "every-template";

    private FlypSettings() {
    }

    static List<Setting> all() {
        List<Setting> all = new ArrayList<>(PseudoLabelPhase.SETTINGS.stream().map(setting -> setting.key()
                .equals("labels.selection") ? Setting.choice(setting.key(), setting.group(), "all", setting.choices(),
                        "Which images FLYP trains on: all, each under its zero-shot label (LatteCLIP's FLYP, §1.6), "
                                + "or a confident subset [INFERRED option]") : setting).toList());
        String group = "fine-tuning";
        all.add(Setting.choice(CAPTIONS, group, FIRST_TEMPLATE, List.of(FIRST_TEMPLATE, EVERY_TEMPLATE),
                "Each image's caption: its label in the run's first template (LatteCLIP's FLYP, templates[0]), or "
                        + "one pair per template as FLYP's CSV has (an epoch then sees each image once per template)"));
        all.add(Setting.integer(EPOCHS, group, 10, 1, 100_000, "Epochs (FLYP's ImageNet recipe: 10)"));
        all.add(Setting.integer(BATCH_SIZE, group, 32, 2, 65_536, "Pairs per batch, full batches only (FLYP: 512 "
                + "on GPUs; 32 [INFERRED] fits a CPU's memory with ViT-B/32)"));
        all.add(Setting.decimal(LEARNING_RATE, group, 1e-5, 0, 1,
                "AdamW learning rate, per-step cosine after a linear warm-up (FLYP's ImageNet recipe: 1e-5)"));
        all.add(Setting.decimal(WEIGHT_DECAY, group, 0.1, 0, 10,
                "AdamW weight decay of matrices, not gains, biases or logit_scale (FLYP: 0.1)"));
        all.add(Setting.decimal(WARMUP, group, 0.02, 0, 1, "Fraction of the steps in linear warm-up (FLYP: 500 "
                + "steps of its 25,000 on ImageNet; as a fraction [INFERRED] so that small folders warm up too)"));
        all.add(Setting.decimal(CROP_MIN, group, 0.9, 0.05, 1, "Smallest area of a training crop; resized to the "
                + "input size (OpenCLIP's training transform, which FLYP uses: 0.9–1)"));
        all.add(Setting.flag(TRAIN_LOGIT_SCALE, group, true,
                "Whether the logit scale trains too, clamped to ≤ 100 (FLYP trains the whole CLIP)"));
        all.add(Setting.integer(MEMORY_MB, group, 0, 0, 1_000_000,
                "Decoded training images kept in memory, MiB (0: a quarter of the Java heap)"));
        return List.copyOf(all);
    }
}
