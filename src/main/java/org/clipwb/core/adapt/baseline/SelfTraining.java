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
import org.clipwb.core.adapt.AdaptationMethod;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.MethodInfo.PhaseInfo;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.LinearHead;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.adapt.label.PseudoLabels;

/**
 * UPL-style self-training (Huang et al.; methods.md §1.10): the confident zero-shot pseudo-labels (top-K per class by
 * default) train a classifier with cross-entropy and CoOp's optimizer, which UPL uses. UPL learns a prompt through
 * the text encoder; on cached embeddings the learned part is a linear head {@code x · Wᵀ + b} on the normalised image
 * embeddings, initialised to the zero-shot classifier ({@code W} = the class weights × the logit scale, {@code b} = 0)
 * so that training starts from zero-shot's predictions [INFERRED]. Labeled shots, when given, join the pseudo-labels
 * unless {@code train.on} says otherwise. CoOp's rate of 0.002 was tuned for prompt vectors; on a head whose rows
 * have the norm of the logit scale (≈ 100) it moves the classifier only a little.
 */
public final class SelfTraining implements AdaptationMethod {
    /** The method's id. */
    public static final String ID = "self-training";

    private static final List<Setting> SETTINGS = settings();

    private static List<Setting> settings() {
        List<Setting> all = new ArrayList<>(PseudoLabelPhase.SETTINGS);
        all.add(TrainingExamples.TRAIN_ON);
        all.add(Setting.choice("train.optimizer", "training", TrainingRecipe.SGD,
                List.of(TrainingRecipe.SGD, TrainingRecipe.ADAMW),
                "SGD with momentum (UPL uses CoOp's SGD), or AdamW with PyTorch's betas [INFERRED]"));
        all.addAll(TrainingRecipe.coop(50, "UPL's rn50_ep50 config: 50"));
        all.add(TrainingRecipe.adamEpsilon(1e-8, "with train.optimizer=adamw; PyTorch's default 1e-8 [INFERRED]"));
        return List.copyOf(all);
    }

    private static final MethodInfo INFO = new MethodInfo(ID, "Self-training on pseudo-labels (UPL-style)",
            "Huang, Chu, Wei. Unsupervised Prompt Learning for Vision-Language Models. arXiv 2204.03649",
            List.of(PseudoLabelPhase.INFO, new PhaseInfo(EmbeddingTrainer.PHASE, "Linear head",
                    "Cross-entropy of a linear head, initialised to the zero-shot classifier, on the selected "
                            + "pseudo-labels (and the labeled shots when given)")),
            SETTINGS);

    @Override
    public MethodInfo info() {
        return INFO;
    }

    @Override
    public ClassifierHead adapt(RunContext context) throws IOException {
        AdaptationData data = context.data();
        Settings settings = context.settings();
        PseudoLabels pseudo = PseudoLabelPhase.run(context);
        TrainingExamples examples = TrainingExamples.of(data, pseudo, settings.choice("train.on"));
        // Dassl's per-epoch cosine and its training loader, which drops the last partial batch (methods.md §1.3).
        TrainingRecipe recipe = TrainingRecipe.from(settings, TrainingRecipe.SGD, false, true);
        LinearModel model = new LinearModel(data);
        return EmbeddingTrainer.trainPhase(context, ID, model, examples, recipe, pseudo);
    }

    /** {@code x · Wᵀ + b}, starting at the zero-shot classifier. */
    private record LinearModel(AdaptationData data) implements EmbeddingTrainer.Model {
        @Override
        public Map<String, NDArray> initialParameters(NDManager manager) {
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            parameters.put("weight", Tensor.of(data.classWeights()).toArray(manager).mul(data.logitScale()));
            parameters.put("bias", manager.zeros(new Shape(data.classCount())));
            return parameters;
        }

        @Override
        public EmbeddingTrainer.Forward forward(NDManager manager) {
            return (parameters, images) -> images.matMul(parameters.get("weight").transpose())
                    .add(parameters.get("bias"));
        }

        @Override
        public ClassifierHead head(Map<String, Tensor> parameters) {
            return new LinearHead(parameters.get("weight").rows(), parameters.get("bias").values().clone());
        }
    }
}
