package org.clipwb.core.adapt.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.train.AdamW;
import org.clipwb.core.adapt.train.CosineSchedule;
import org.clipwb.core.adapt.train.ParameterOptimizer;
import org.clipwb.core.adapt.train.Sgd;

/**
 * How a trained baseline optimises: the optimizer and its constants, epochs, batch size and a cosine learning rate
 * with an optional constant warm-up, read from the {@code train.*} settings. Each method declares the settings it
 * offers with the defaults and provenance of the code it follows; the ones it leaves out take the values below.
 *
 * @param optimizer {@link #SGD} or {@link #ADAMW}
 * @param momentum SGD's momentum
 * @param adamEpsilon AdamW's ε
 * @param warmupEpochs epochs at {@link #WARMUP_RATE} before the cosine starts
 * @param cosinePerStep whether the cosine advances every step (PyTorch's {@code CosineAnnealingLR} stepped per
 *     iteration, as Tip-Adapter-F does) or once per epoch (Dassl's scheduler, which CoOp and UPL use)
 * @param dropLast whether an epoch's last, smaller batch is dropped (Dassl's training loader drops it when the set
 *     holds a full batch; Tip-Adapter's loader keeps it)
 */
public record TrainingRecipe(String optimizer, int epochs, int batchSize, double learningRate, double momentum,
        double weightDecay, double adamEpsilon, int warmupEpochs, boolean cosinePerStep, boolean dropLast) {
    /** SGD with momentum. */
    public static final String SGD = "sgd";
    /** AdamW. */
    public static final String ADAMW = "adamw";
    /** CoOp's constant warm-up rate (methods.md §1.3). */
    public static final double WARMUP_RATE = 1e-5;
    private static final String GROUP = "training";
    // AdamW's moment decays where no method says otherwise: PyTorch's defaults.
    private static final double ADAM_BETA1 = 0.9;
    private static final double ADAM_BETA2 = 0.999;

    /** The recipe of {@code settings}; a setting the method does not declare takes its PyTorch default (or none). */
    public static TrainingRecipe from(Settings settings, String defaultOptimizer, boolean cosinePerStep,
            boolean dropLast) {
        return new TrainingRecipe(
                declared(settings, "train.optimizer") ? settings.choice("train.optimizer") : defaultOptimizer,
                settings.integer("train.epochs"), settings.integer("train.batch-size"), settings.decimal("train.lr"),
                declared(settings, "train.momentum") ? settings.decimal("train.momentum") : 0,
                settings.decimal("train.weight-decay"),
                declared(settings, "train.adam-epsilon") ? settings.decimal("train.adam-epsilon") : 1e-8,
                declared(settings, "train.warmup-epochs") ? settings.integer("train.warmup-epochs") : 0,
                cosinePerStep, dropLast);
    }

    private static boolean declared(Settings settings, String key) {
        return settings.asText().containsKey(key);
    }

    /**
     * CoOp's recipe (methods.md §1.3, CoOp's configs with Dassl's defaults): SGD, lr 0.002, momentum 0.9, weight decay
     * 5e-4, batch 32, one warm-up epoch at 1e-5, cosine; UPL and CLIP-Adapter train with it.
     *
     * @param epochs the method's default number of epochs
     * @param epochsSource where that default comes from
     */
    public static List<Setting> coop(int epochs, String epochsSource) {
        return List.of(epochs(epochs, epochsSource),
                Setting.integer("train.batch-size", GROUP, 32, 1, 65_536, "Batch size (CoOp, UPL: 32)"),
                Setting.decimal("train.lr", GROUP, 0.002, 0, 10, "Learning rate, cosine schedule (CoOp, UPL: 0.002)"),
                Setting.decimal("train.momentum", GROUP, 0.9, 0, 1, "SGD momentum (Dassl default 0.9)"),
                weightDecay(5e-4, "Dassl default 5e-4"),
                Setting.integer("train.warmup-epochs", GROUP, 1, 0, 1000,
                        "Epochs at the constant warm-up rate 1e-5 before the cosine (CoOp, UPL: 1)"));
    }

    /** The number of epochs. */
    public static Setting epochs(int value, String source) {
        return Setting.integer("train.epochs", GROUP, value, 1, 100_000, "Epochs (" + source + ")");
    }

    /** Decoupled (AdamW) or L2 (SGD) weight decay. */
    public static Setting weightDecay(double value, String source) {
        return Setting.decimal("train.weight-decay", GROUP, value, 0, 1, "Weight decay (" + source + ")");
    }

    /** AdamW's ε. */
    public static Setting adamEpsilon(double value, String source) {
        return Setting.decimal("train.adam-epsilon", GROUP, value, 0, 1, "AdamW's ε (" + source + ")");
    }

    /**
     * A fresh optimizer whose state lives in {@code manager}; weight decay applies to every parameter, pulling those
     * named in {@code decayAnchors} toward their anchor instead of zero (SGD only).
     */
    public ParameterOptimizer newOptimizer(NDManager manager, Map<String, NDArray> decayAnchors) {
        if (optimizer.equals(ADAMW)) {
            if (!decayAnchors.isEmpty()) {
                throw new IllegalArgumentException("AdamW decays toward zero only, not toward " + decayAnchors.keySet());
            }
            return new AdamW(manager, ADAM_BETA1, ADAM_BETA2, adamEpsilon, weightDecay, name -> true);
        }
        Sgd sgd = new Sgd(manager, momentum, weightDecay);
        decayAnchors.forEach(sgd::decayToward);
        return sgd;
    }

    /** The learning rate of step {@code step} (from 0, counted over the run) in epoch {@code epoch} (from 0). */
    public double rate(int epoch, long step, int stepsPerEpoch) {
        return cosinePerStep
                ? new CosineSchedule(learningRate, (long) epochs * stepsPerEpoch, (long) warmupEpochs * stepsPerEpoch,
                        WARMUP_RATE, false).rate(step)
                : new CosineSchedule(learningRate, epochs, warmupEpochs, WARMUP_RATE, false).rate(epoch);
    }
}
