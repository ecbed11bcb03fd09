package org.clipwb.core.adapt.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.MethodInfo.PhaseInfo;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.ClipAdapterHead;
import org.clipwb.core.adapt.label.PseudoLabelMethod;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.label.TrainingExamples;

/**
 * CLIP-Adapter (Gao et al.; methods.md §1.4) trained on pseudo-labels: a bottleneck MLP on the image embedding,
 * mixed back in with the residual ratio, classified by the frozen class weights, trained with cross-entropy and
 * CoOp's optimizer (the released code runs inside CoOp's framework). The labels are the selected zero-shot
 * pseudo-labels, joined by the labeled shots when given unless {@code train.on} says otherwise.
 */
public final class ClipAdapter extends PseudoLabelMethod {
    /** The method's id. */
    public static final String ID = "clip-adapter";

    public ClipAdapter() {
        super(ID, "CLIP-Adapter on pseudo-labels",
                "Gao et al. CLIP-Adapter: Better Vision-Language Models with Feature Adapters. IJCV 2024, "
                        + "arXiv 2110.04544",
                List.of(new PhaseInfo(EmbeddingTrainer.PHASE, "Adapter", "Cross-entropy of the residual bottleneck "
                        + "adapter on the selected pseudo-labels (and the labeled shots when given); the class weights "
                        + "stay frozen")),
                settings());
    }

    private static List<Setting> settings() {
        List<Setting> all = new ArrayList<>(List.of(TrainingExamples.TRAIN_ON,
                Setting.integer("adapter.reduction", "adapter", 4, 1, 4096,
                        "The bottleneck's reduction: its width is D / reduction (released code: 4)"),
                Setting.decimal("adapter.ratio", "adapter", 0.2, 0, 1,
                        "Residual ratio: f' = ratio · Adapter(f) + (1 − ratio) · f (released code: 0.2)")));
        all.addAll(TrainingRecipe.coop(200, "CoOp's 200 for 8–16 labels per class, as labels.k = 16 gives; "
                + "100 for 2–4, 50 for 1; CLIP-Adapter's own not found"));
        return all;
    }

    @Override
    protected String source(Settings settings) {
        return settings.choice("train.on");
    }

    @Override
    protected ClassifierHead adapt(RunContext context, PseudoLabels pseudo, TrainingExamples examples)
            throws IOException {
        AdaptationData data = context.data();
        Settings settings = context.settings();
        int hidden = data.dimension() / settings.integer("adapter.reduction");
        if (hidden < 1) {
            throw new IllegalArgumentException("adapter.reduction " + settings.integer("adapter.reduction")
                    + " leaves no bottleneck for " + data.dimension() + "-dimensional embeddings");
        }
        // CoOp's recipe: Dassl's per-epoch cosine and its loader, which drops the last partial batch (methods.md §1.3).
        TrainingRecipe recipe = TrainingRecipe.from(settings, TrainingRecipe.SGD, false, true);
        AdapterModel model = new AdapterModel(data, hidden, settings.decimal("adapter.ratio"), context.seed());
        return EmbeddingTrainer.trainPhase(context, EmbeddingTrainer.Phase.baseline(ID), model, examples, recipe,
                pseudo);
    }

    /** The two bias-free layers of the adapter, starting at PyTorch's default initialisation, seeded. */
    private record AdapterModel(AdaptationData data, int hidden, double ratio, long seed)
            implements EmbeddingTrainer.Model {
        @Override
        public Map<String, NDArray> initialParameters(NDManager manager) {
            SplittableRandom random = new SplittableRandom(seed);
            int dim = data.dimension();
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            parameters.put("down", manager.create(kaimingUniform(random, hidden * dim, dim), new Shape(hidden, dim)));
            parameters.put("up", manager.create(kaimingUniform(random, dim * hidden, hidden), new Shape(dim, hidden)));
            return parameters;
        }

        @Override
        public EmbeddingTrainer.Forward forward(NDManager manager) {
            NDArray classWeights = Tensor.of(data.classWeights()).toArray(manager);
            return (parameters, inputs) -> ClipAdapterHead.logits(inputs.head(), parameters.get("down"),
                    parameters.get("up"), ratio, classWeights, data.logitScale());
        }

        @Override
        public ClassifierHead head(Map<String, Tensor> parameters) {
            return new ClipAdapterHead(parameters.get("down").rows(), parameters.get("up").rows(), ratio,
                    data.classWeights(), data.logitScale());
        }
    }

    /**
     * PyTorch's default {@code nn.Linear} weight initialisation, {@code kaiming_uniform_(a = √5)}: uniform on
     * ±{@code 1/√fan_in}. Drawn from the run's seed rather than DJL's global generator, so that a run is reproducible
     * whatever else used that generator.
     */
    static float[] kaimingUniform(SplittableRandom random, int count, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return values;
    }
}
