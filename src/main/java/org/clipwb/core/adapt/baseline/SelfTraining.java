package org.clipwb.core.adapt.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import org.clipwb.core.adapt.head.LinearHead;
import org.clipwb.core.adapt.label.PseudoLabelMethod;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.label.TrainingExamples;
import org.clipwb.core.model.Scalars;

/**
 * UPL-style self-training (Huang et al.; methods.md §1.10): the confident zero-shot pseudo-labels (top-K per class by
 * default) train a classifier with cross-entropy and CoOp's optimizer, which UPL uses. UPL learns a prompt through
 * the text encoder; on cached embeddings the learned part is a linear head {@code s · x · Wᵀ + b} on the normalised
 * image embeddings, {@code s} the logit scale, initialised to the zero-shot classifier ({@code W} = the unit class
 * weights, {@code b} = 0) so that training starts from zero-shot's predictions [INFERRED]. Keeping {@code s} outside
 * the learned weights gives them the scale of CoOp's text features, for which its rate of 0.002 was tuned (folded
 * into the weights, rows of norm ≈ 100 barely moved at that rate). Labeled shots, when given, join the pseudo-labels
 * unless {@code train.on} says otherwise.
 */
public final class SelfTraining extends PseudoLabelMethod {
    /** The method's id. */
    public static final String ID = "self-training";

    public SelfTraining() {
        super(ID, "Self-training on pseudo-labels (UPL-style)",
                "Huang, Chu, Wei. Unsupervised Prompt Learning for Vision-Language Models. arXiv 2204.03649",
                List.of(new PhaseInfo(EmbeddingTrainer.PHASE, "Linear head", "Cross-entropy of a linear head, "
                        + "initialised to the zero-shot classifier, on the selected pseudo-labels (and the labeled shots "
                        + "when given)")),
                settings());
    }

    private static List<Setting> settings() {
        List<Setting> all = new ArrayList<>(List.of(TrainingExamples.TRAIN_ON,
                Setting.choice("train.optimizer", "training", TrainingRecipe.SGD,
                        List.of(TrainingRecipe.SGD, TrainingRecipe.ADAMW),
                        "SGD with momentum (UPL uses CoOp's SGD), or AdamW with PyTorch's betas [INFERRED]")));
        all.addAll(TrainingRecipe.coop(50, "UPL's rn50_ep50 config: 50"));
        all.add(TrainingRecipe.adamEpsilon(1e-8, "with train.optimizer=adamw; PyTorch's default 1e-8 [INFERRED]"));
        return all;
    }

    @Override
    protected String source(Settings settings) {
        return settings.choice("train.on");
    }

    @Override
    protected ClassifierHead adapt(RunContext context, PseudoLabels pseudo, TrainingExamples examples)
            throws IOException {
        // Dassl's per-epoch cosine and its training loader, which drops the last partial batch (methods.md §1.3).
        TrainingRecipe recipe = TrainingRecipe.from(context.settings(), TrainingRecipe.SGD, false, true);
        return EmbeddingTrainer.trainPhase(context, EmbeddingTrainer.Phase.baseline(ID), new LinearModel(context.data()),
                examples, recipe, pseudo);
    }

    /** {@code s · x · Wᵀ + b}, starting at the zero-shot classifier; saved as a linear head with {@code s} folded in. */
    private record LinearModel(AdaptationData data) implements EmbeddingTrainer.Model {
        @Override
        public Map<String, NDArray> initialParameters(NDManager manager) {
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            parameters.put("weight", Tensor.of(data.classWeights()).toArray(manager));
            parameters.put("bias", manager.zeros(new Shape(data.classCount())));
            return parameters;
        }

        @Override
        public EmbeddingTrainer.Forward forward(NDManager manager) {
            return (parameters, inputs) -> Scalars.mul(inputs.head().matMul(parameters.get("weight").transpose()),
                    data.logitScale()).add(parameters.get("bias"));
        }

        @Override
        public ClassifierHead head(Map<String, Tensor> parameters) {
            float[][] weight = parameters.get("weight").rows();
            for (float[] row : weight) {
                for (int d = 0; d < row.length; d++) {
                    row[d] *= data.logitScale();
                }
            }
            return new LinearHead(weight, parameters.get("bias").values().clone());
        }
    }
}
