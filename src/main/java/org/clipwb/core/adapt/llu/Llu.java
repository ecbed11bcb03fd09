package org.clipwb.core.adapt.llu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.MethodInfo.PhaseInfo;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.baseline.EmbeddingTrainer;
import org.clipwb.core.adapt.baseline.TrainingRecipe;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.LluHead;
import org.clipwb.core.adapt.head.LocalizedAffine;
import org.clipwb.core.adapt.label.PseudoLabelMethod;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.label.TrainingExamples;
import org.clipwb.core.model.Scalars;
import org.clipwb.core.util.FloatRows;

/**
 * LLU, Localized Latent Updates (Ibing, Lim, Kobbelt, arXiv 2212.06556; methods.md §2): identity-initialised affine
 * maps of the image and text embeddings, applied only near the data they were fitted on through the mask
 * {@code α(z) = β · max_d exp(−γ (1 − zᵀd))}. It trains on cached embeddings only: the labeled shots when the user
 * gave some (LLU is few-shot by design), otherwise the confident zero-shot pseudo-labels.
 */
public final class Llu extends PseudoLabelMethod {
    /** Anchor sets larger than this are subsampled before clustering, which is O(n²) in memory. */
    static final int MAX_CLUSTERED_POINTS = 4096;
    private static final String FIT = "fit";
    private static final String ANCHORS = "anchors";
    /** Images per kernel when α(z) of the training and target images is computed. */
    private static final int INPUT_CHUNK = 4096;

    public Llu() {
        super("llu", "LLU: localized latent updates",
                "Ibing, Lim, Kobbelt. Localized Latent Updates for Fine-Tuning Vision-Language Models. arXiv 2212.06556",
                labelSettings(),
                List.of(new PhaseInfo(ANCHORS, "Anchors", "Complete-linkage clusters of the training images: where the "
                                + "update applies"),
                        new PhaseInfo(FIT, "Localized affine updates", "SGD of W_I, b_I, W_T, b_T from the identity, "
                                + "cross-entropy plus the identity regulariser")),
                settings());
    }

    /**
     * Phase 0 with LLU's tuned defaults. The demo model's zero-shot classifier predicts some classes far too rarely
     * (on a fills-shifted draw "dotted" for 9 of 600 images), so its 16 most confident images per predicted class
     * leave those classes almost without examples; class-balanced pseudo-labels and more of them gave LLU 4.7 to 6.2
     * points over zero-shot on development draws, against 2.3 with UPL's rule (docs/adaptation.md).
     */
    private static List<Setting> labelSettings() {
        return PseudoLabelPhase.settingsWith(
                new PseudoLabelPhase.Default("labels.prior", PseudoLabelPhase.UNIFORM, "The class prior of the "
                        + "pseudo-labels: zero-shot's as it is, or re-weighted so that every class gets the same share "
                        + "of the folder (EM prior update, Saerens et al. 2002); LLU: uniform [INFERRED, tuned on a "
                        + "development draw; assumes a roughly balanced folder; the paper trains on shots only]"),
                new PseudoLabelPhase.Default("labels.k", "300", "K of top-k: images kept per predicted class (LLU: "
                        + "300, so on folders of up to 300 images per class every image's class-balanced label "
                        + "[INFERRED, tuned on a development draw: +3.5, +10.8 and +1.8 held-out points on fills, "
                        + "colours and shapes against 0.0, +5.0 and +0.5 with top-64; the identity regulariser and "
                        + "α(x) keep the noisy ones from moving far], and on larger folders a bounded training time; "
                        + "UPL's 16)"));
    }

    private static List<Setting> settings() {
        return List.of(
                Setting.choice("llu.train-on", "llu", TrainingExamples.SHOTS_AND_PSEUDO,
                        List.of(TrainingExamples.SHOTS, TrainingExamples.SHOTS_AND_PSEUDO, TrainingExamples.PSEUDO),
                        "With labeled shots: train on the shots only (the paper: LLU is few-shot), on shots and "
                                + "pseudo-labels (default [INFERRED, tuned on a development draw: 4 shots per class "
                                + "alone gained 1.4 to 3.7 points, with the pseudo-labels 4.3 to 6.5]), or on "
                                + "pseudo-labels only; without shots, pseudo-labels are used"),
                Setting.decimal("llu.beta", "llu", 0.5, 0, 1, "β, the damping of the update (paper §4: 0.5)"),
                Setting.decimal("llu.gamma", "llu", 20, 0, 1e4, "γ, the locality of the mask (paper §4: 20)"),
                Setting.decimal("llu.lambda", "llu", 0, 0, 1e9,
                        "λ, the weight of the identity regulariser ||W − I|| + ||b|| (paper §4: 1e3, which on the "
                                + "unsquared norm of Eq. 6 pins the maps to the identity; 0, the paper's \"no reg\" "
                                + "ablation [INFERRED, tuned on a development draw])"),
                Setting.choice("llu.regulariser", "llu", "frobenius", List.of("frobenius", "squared-frobenius"),
                        "The regulariser's norm: Frobenius as written in Eq. 6, or its square [INFERRED]"),
                Setting.integer("llu.anchors", "llu", 512, 1, 100_000,
                        "Cluster representatives kept per modality (complete linkage; paper §4: 512)"),
                Setting.flag("llu.renormalise", "llu", true,
                        "Renormalise h(z) before the dot product [INFERRED, methods.md §2.2]"),
                Setting.integer("train.epochs", "training", 50, 1, 100_000,
                        "Epochs (CoOp: 200 for 8–16 shots per class, 100 for 2–4, 50 for 1; LLU: 50 at 4 times "
                                + "CoOp's learning rate [INFERRED, tuned on development draws: the same accuracy as "
                                + "200 epochs at CoOp's rate within 0.25 points on three targets, in a quarter of the "
                                + "time])"),
                Setting.integer("train.batch-size", "training", 256, 1, 65_536, "Batch size (CoOp: 32; LLU: 256 "
                        + "[INFERRED, tuned on development draws: the same accuracy as 32 and 128 within 0.5 points on "
                        + "three targets with 1,200 pseudo-labels, in an eighth of the steps of 32])"),
                Setting.decimal("train.lr", "training", 0.008, 0, 10,
                        "SGD learning rate, cosine schedule (CoOp: 0.002; LLU: 0.008 with its 50 epochs)"),
                Setting.decimal("train.momentum", "training", 0.9, 0, 1, "SGD momentum (Dassl default 0.9)"),
                Setting.decimal("train.weight-decay", "training", 5e-4, 0, 1, "Weight decay (Dassl default 5e-4)"),
                Setting.choice("train.decay-toward", "training", "identity", List.of("identity", "zero"),
                        "What weight decay pulls W toward: the identity it starts from, or zero as plain SGD "
                                + "[INFERRED]"),
                Setting.integer("train.warmup-epochs", "training", 1, 0, 1000,
                        "Epochs at the constant warm-up rate before the cosine (CoOp: 1 at 1e-5)"));
    }

    @Override
    protected String source(Settings settings) {
        return settings.choice("llu.train-on");
    }

    @Override
    protected ClassifierHead adapt(RunContext context, PseudoLabels pseudo, TrainingExamples training)
            throws IOException {
        AdaptationData data = context.data();
        Settings settings = context.settings();
        Checkpoint anchors = context.phase(ANCHORS, phase -> {
            phase.report(ProgressEvent.message(ANCHORS, "clustering " + training.embeddings().length
                    + " training images into at most " + settings.integer("llu.anchors") + " anchors"));
            return Checkpoint.after(0)
                    .tensor("image_anchors", Tensor.of(anchors(training.embeddings(), settings.integer("llu.anchors"),
                            context.seed())))
                    .tensor("text_anchors", Tensor.of(anchors(data.classWeights(), settings.integer("llu.anchors"),
                            context.seed())));
        });
        // CoOp's recipe with Dassl's per-epoch cosine; the last partial batch is kept, as few shots rarely fill one.
        TrainingRecipe recipe = TrainingRecipe.from(settings, TrainingRecipe.SGD, false, false);
        LluModel model = new LluModel(data, Mask.of(settings), settings.decimal("llu.lambda"),
                settings.choice("llu.regulariser").equals("squared-frobenius"),
                settings.choice("train.decay-toward").equals("identity"), anchors.tensor("image_anchors"),
                anchors.tensor("text_anchors"));
        return EmbeddingTrainer.trainPhase(context, new EmbeddingTrainer.Phase(FIT, 2, "LLU"), model, training, recipe,
                pseudo);
    }

    /** The cluster representatives of {@code points}, subsampling (seeded) first when there are too many to cluster. */
    static float[][] anchors(float[][] points, int count, long seed) {
        float[][] clustered = points;
        if (points.length > MAX_CLUSTERED_POINTS) {
            SplittableRandom random = new SplittableRandom(seed);
            int[] order = IntStream.range(0, points.length).toArray();
            for (int i = 0; i < MAX_CLUSTERED_POINTS; i++) {
                int j = i + random.nextInt(points.length - i);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            clustered = IntStream.range(0, MAX_CLUSTERED_POINTS).mapToObj(i -> points[order[i]]).toArray(float[][]::new);
        }
        return CompleteLinkage.representatives(clustered, CompleteLinkage.cluster(clustered, count));
    }

    /** β, γ and whether h(z) is renormalised: the shape of the localized update. */
    private record Mask(double beta, double gamma, boolean renormalise) {
        static Mask of(Settings settings) {
            return new Mask(settings.decimal("llu.beta"), settings.decimal("llu.gamma"),
                    settings.flag("llu.renormalise"));
        }

        NDArray alpha(NDArray embeddings, NDArray anchors) {
            return LocalizedAffine.alpha(embeddings, anchors, beta, gamma);
        }
    }

    /**
     * LLU's two affine maps, W_I, b_I, W_T, b_T, from the identity: the images' update applied near the image anchors,
     * the class texts' near the text anchors, and the identity regulariser as the penalty.
     */
    private record LluModel(AdaptationData data, Mask mask, double lambda, boolean squared, boolean decayToIdentity,
            Tensor imageAnchors, Tensor textAnchors) implements EmbeddingTrainer.Model {
        @Override
        public Map<String, NDArray> initialParameters(NDManager manager) {
            int dim = data.dimension();
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            parameters.put("image_weight", manager.eye(dim));
            parameters.put("text_weight", manager.eye(dim));
            parameters.put("image_bias", manager.zeros(new Shape(dim)));
            parameters.put("text_bias", manager.zeros(new Shape(dim)));
            return parameters;
        }

        /** The embeddings and their α(z): α depends on the image alone, so it is computed once. */
        @Override
        public NDList inputs(NDArray embeddings) {
            NDArray anchors = imageAnchors.toArray(embeddings.getManager());
            long n = embeddings.getShape().get(0);
            NDList alphas = new NDList();
            // In chunks, so that the [N, anchors] kernel of a large target stays small.
            for (long start = 0; start < n; start += INPUT_CHUNK) {
                alphas.add(mask.alpha(embeddings.get(start + ":" + Math.min(n, start + INPUT_CHUNK)), anchors));
            }
            return new NDList(embeddings, NDArrays.concat(alphas));
        }

        @Override
        public EmbeddingTrainer.Forward forward(NDManager manager) {
            NDArray texts = Tensor.of(data.classWeights()).toArray(manager);
            NDArray textAlpha = mask.alpha(texts, textAnchors.toArray(manager));
            NDArray scale = Scalars.of(manager, data.logitScale());
            return (parameters, inputs) -> {
                NDArray adaptedImages = LocalizedAffine.apply(inputs.get(0), parameters.get("image_weight"),
                        parameters.get("image_bias"), inputs.get(1), mask.renormalise());
                NDArray adaptedTexts = LocalizedAffine.apply(texts, parameters.get("text_weight"),
                        parameters.get("text_bias"), textAlpha, mask.renormalise());
                return adaptedImages.matMul(adaptedTexts.transpose()).mul(scale);
            };
        }

        @Override
        public Optional<EmbeddingTrainer.Penalty> penalty(NDManager manager) {
            NDArray identity = manager.eye(data.dimension());
            return Optional.of(new EmbeddingTrainer.Penalty("regulariser", lambda, parameters ->
                    norm(parameters.get("image_weight").sub(identity)).add(norm(parameters.get("image_bias")))
                            .add(norm(parameters.get("text_weight").sub(identity)))
                            .add(norm(parameters.get("text_bias")))));
        }

        private NDArray norm(NDArray difference) {
            NDArray square = difference.square().sum();
            // sqrt(x + tiny) has the subgradient 0 at the identity that torch.norm gives; sqrt(x) would give NaN there.
            return squared ? square : square.add(1e-12f).sqrt();
        }

        @Override
        public Map<String, NDArray> decayAnchors(NDManager manager) {
            if (!decayToIdentity) {
                return Map.of();
            }
            NDArray identity = manager.eye(data.dimension());
            return Map.of("image_weight", identity, "text_weight", identity);
        }

        /** The classifier of fitted parameters: the image update as it is, the class texts already updated. */
        @Override
        public ClassifierHead head(Map<String, Tensor> parameters) {
            float[][] adaptedTexts;
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray texts = Tensor.of(data.classWeights()).toArray(manager);
                NDArray adapted = LocalizedAffine.apply(texts, parameters.get("text_weight").toArray(manager),
                        parameters.get("text_bias").toArray(manager), mask.alpha(texts, textAnchors.toArray(manager)),
                        mask.renormalise());
                adaptedTexts = FloatRows.split(adapted.toFloatArray(), data.classCount());
            }
            return new LluHead(parameters.get("image_weight").rows(), parameters.get("image_bias").values().clone(),
                    imageAnchors.rows(), adaptedTexts, mask.beta(), mask.gamma(), mask.renormalise(),
                    data.logitScale());
        }

        /** α(x) of every target image: how strongly the image update applies to it. */
        @Override
        public Map<String, Tensor> signals(ClassifierHead head, float[][] targets) {
            try (NDManager manager = NDManager.newBaseManager()) {
                return Map.of("llu.alpha", new Tensor(((LluHead) head).alpha(Tensor.of(targets).toArray(manager))
                        .toFloatArray(), targets.length));
            }
        }
    }
}
