package org.clipwb.core.adapt.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.MethodInfo.PhaseInfo;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.TipAdapterHead;
import org.clipwb.core.adapt.label.PseudoLabelMethod;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.label.TrainingExamples;

/**
 * Tip-Adapter-F (Zhang et al.; methods.md §1.5): Tip-Adapter's cache with trainable keys, initialised to the cached
 * embeddings and trained with cross-entropy on the combined logits of the cache's own images, AdamW and a per-step
 * cosine. The cache is the labeled shots when given, otherwise the selected zero-shot pseudo-labels. Three departures
 * from the released code: the keys see the un-augmented cached embeddings only; the released code keeps the epoch
 * that scores best on the test set, which would select on evaluation labels, so the last epoch is kept; and it then
 * re-searches α and β on a labeled val split, which does not exist here (the shots are the training set), so α and β
 * stay at {@code tip.alpha} and {@code tip.beta}, the values it trains with.
 */
public final class TipAdapterF extends PseudoLabelMethod {
    /** The method's id. */
    public static final String ID = "tip-adapter-f";

    public TipAdapterF() {
        super(ID, "Tip-Adapter-F (cache with trained keys)", TipAdapter.PAPER,
                List.of(new PhaseInfo(EmbeddingTrainer.PHASE, "Keys", "AdamW on the cache keys, cross-entropy of the "
                        + "cached images (the labeled shots, or without shots the selected pseudo-labels); the last "
                        + "epoch is kept")),
                settings());
    }

    private static List<Setting> settings() {
        List<Setting> all = new ArrayList<>(TipAdapter.KERNEL_SETTINGS);
        all.add(TrainingRecipe.epochs(20, "Tip-Adapter: 20; 100 for EuroSAT"));
        all.add(Setting.integer("train.batch-size", "training", 256, 1, 65_536, "Batch size (Tip-Adapter: 256)"));
        all.add(Setting.decimal("train.lr", "training", 1e-3, 0, 10,
                "AdamW learning rate, cosine over every step (Tip-Adapter: 0.001)"));
        all.add(TrainingRecipe.adamEpsilon(1e-4, "Tip-Adapter: 1e-4"));
        all.add(TrainingRecipe.weightDecay(0.01, "decoupled; PyTorch's AdamW default 0.01, which Tip-Adapter keeps"));
        return all;
    }

    /** The cache: the labeled shots when given, otherwise the selected pseudo-labels. */
    @Override
    protected String source(Settings settings) {
        return TrainingExamples.SHOTS;
    }

    @Override
    protected ClassifierHead adapt(RunContext context, PseudoLabels pseudo, TrainingExamples cache)
            throws IOException {
        // Tip-Adapter's loader keeps the last partial batch; its CosineAnnealingLR steps every iteration.
        TrainingRecipe recipe = TrainingRecipe.from(context.settings(), TrainingRecipe.ADAMW, true, false);
        CacheModel model = new CacheModel(context.data(), cache, TipAdapter.Kernel.of(context.settings()));
        return EmbeddingTrainer.trainPhase(context, EmbeddingTrainer.Phase.baseline(ID), model, cache, recipe, pseudo);
    }

    /** The cache with its keys as the parameter. */
    private record CacheModel(AdaptationData data, TrainingExamples cache, TipAdapter.Kernel kernel)
            implements EmbeddingTrainer.Model {
        @Override
        public Map<String, NDArray> initialParameters(NDManager manager) {
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            parameters.put("keys", Tensor.of(cache.embeddings()).toArray(manager));
            return parameters;
        }

        @Override
        public EmbeddingTrainer.Forward forward(NDManager manager) {
            NDArray values = manager.create(cache.labels()).oneHot(data.classCount());
            NDArray classWeights = Tensor.of(data.classWeights()).toArray(manager);
            return (parameters, inputs) -> TipAdapterHead.logits(inputs.head(), parameters.get("keys"), values,
                    classWeights, kernel.alpha(), kernel.beta(), data.logitScale());
        }

        @Override
        public ClassifierHead head(Map<String, Tensor> parameters) {
            return TipAdapter.head(parameters.get("keys").rows(), cache, kernel, data);
        }
    }
}
