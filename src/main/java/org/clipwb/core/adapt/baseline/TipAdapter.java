package org.clipwb.core.adapt.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.MethodInfo.PhaseInfo;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.TipAdapterHead;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.adapt.label.PseudoLabelMethod;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.util.FloatRows;
import org.clipwb.core.adapt.label.TrainingExamples;

/**
 * Tip-Adapter, training-free (Zhang et al.; methods.md §1.5): zero-shot logits plus a cache of labeled embeddings,
 * {@code logits = s · x Wᵀ + α · exp(−β (1 − x · keysᵀ)) · values}. The cache holds the labeled shots when the user
 * gave some; otherwise the selected zero-shot pseudo-labels (top-K per class, K = 16 as Tip-Adapter's 16 shots) stand
 * in for them, which makes the method annotation-free. The keys are the cached embeddings as they are: Tip-Adapter
 * averages each shot over 10 augmented views, but only un-augmented embeddings are cached here.
 */
public final class TipAdapter extends PseudoLabelMethod {
    /** The method's id. */
    public static final String ID = "tip-adapter";
    private static final String CACHE = "cache";
    /** The paper, which Tip-Adapter-F shares. */
    static final String PAPER =
            "Zhang et al. Tip-Adapter: Training-free Adaption of CLIP for Few-shot Classification. ECCV 2022";

    /** α and β, shared with Tip-Adapter-F. */
    static final List<Setting> KERNEL_SETTINGS = List.of(
            Setting.decimal("tip.alpha", "cache", 1.17, 0, 1e4,
                    "α, the weight of the cache logits (Tip-Adapter's init_alpha varies by dataset from 1.17 to 10; "
                            + "1.17, its ImageNet value and the most common, is also the most cautious with a "
                            + "pseudo-labeled cache [INFERRED choice])"),
            Setting.decimal("tip.beta", "cache", 1, 0, 1e4,
                    "β, the sharpness of the affinity exp(−β (1 − x·key)) (Tip-Adapter's init_beta: 1)"));

    public TipAdapter() {
        super(ID, "Tip-Adapter (training-free cache)", PAPER, List.of(new PhaseInfo(CACHE, "Cache", "The cache of the "
                + "labeled shots, or without shots of the selected pseudo-labels; α and β from the settings, or "
                + "searched on the shots")), settings());
    }

    private static List<Setting> settings() {
        List<Setting> all = new ArrayList<>(KERNEL_SETTINGS);
        all.add(Setting.flag("tip.search", "search", true,
                "With labeled shots, grid-search α and β by leave-one-out accuracy on the shots (Tip-Adapter searches "
                        + "a labeled val split). Without shots nothing is searched: evaluation labels are never used, "
                        + "and accuracy on zero-shot pseudo-labels would only reward agreeing with zero-shot"));
        all.add(Setting.decimal("tip.search-beta-max", "search", 7, 0.1, 1e4,
                "S_β: β is searched on [0.1, S_β) (Tip-Adapter: 7 for ImageNet, 7 to 50 by dataset)"));
        all.add(Setting.decimal("tip.search-alpha-max", "search", 3, 0.1, 1e4,
                "S_α: α is searched on [0.1, S_α) (Tip-Adapter: 3 for ImageNet, 3 to 50 by dataset)"));
        all.add(Setting.integer("tip.search-beta-steps", "search", 200, 1, 10_000,
                "Number of β values searched (Tip-Adapter: 200)"));
        all.add(Setting.integer("tip.search-alpha-steps", "search", 20, 1, 10_000,
                "Number of α values searched (Tip-Adapter: 20)"));
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
        AdaptationData data = context.data();
        Settings settings = context.settings();
        Checkpoint built = context.phase(CACHE, phase -> {
            Checkpoint.Builder outputs = Checkpoint.after(0);
            Kernel kernel = Kernel.of(settings);
            String how;
            if (cache.shots() > 0 && settings.flag("tip.search")) {
                Search search = search(data.shots(), data, grid(settings.decimal("tip.search-alpha-max"),
                        settings.integer("tip.search-alpha-steps")), grid(settings.decimal("tip.search-beta-max"),
                        settings.integer("tip.search-beta-steps")));
                kernel = search.best();
                outputs.value("leave_one_out_accuracy", search.accuracy());
                how = String.format("searched on the shots: leave-one-out accuracy %.1f%%", 100 * search.accuracy());
            } else {
                how = cache.shots() > 0 ? "from the settings" : "from the settings (no labeled shots to search on)";
            }
            TipAdapterHead head = head(cache.embeddings(), cache, kernel, data);
            Predictions predictions = Predictions.record(context, CACHE, 1, head, cache.keptTargets());
            phase.report(new ProgressEvent(CACHE, 0, 0, 1, 1, 0, Map.of(), Double.NaN, Optional.empty(),
                    Optional.of(PseudoLabelPhase.stats(pseudo, predictions.labels(), data.target().labels(),
                            OptionalDouble.empty())),
                    String.format("cache of %s; α = %.4g, β = %.4g %s", cache.describe(), kernel.alpha(),
                            kernel.beta(), how)));
            return outputs.value("alpha", kernel.alpha()).value("beta", kernel.beta())
                    .value("shots_used", cache.shots()).value("pseudo_labels_used", cache.pseudoLabels());
        });
        return head(cache.embeddings(), cache, new Kernel(Double.parseDouble(built.value("alpha").orElseThrow()),
                Double.parseDouble(built.value("beta").orElseThrow())), data);
    }

    /** Tip-Adapter's α and β. */
    record Kernel(double alpha, double beta) {
        static Kernel of(Settings settings) {
            return new Kernel(settings.decimal("tip.alpha"), settings.decimal("tip.beta"));
        }
    }

    /** The head of a cache whose keys may have been trained (Tip-Adapter-F). */
    static TipAdapterHead head(float[][] keys, TrainingExamples cache, Kernel kernel, AdaptationData data) {
        return new TipAdapterHead(keys, oneHot(cache.labels(), data.classCount()), data.classWeights(),
                kernel.alpha(), kernel.beta(), data.logitScale());
    }

    /** The cache values: one one-hot row per cached label. */
    static float[][] oneHot(int[] labels, int classes) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return FloatRows.split(manager.create(labels).oneHot(classes).toFloatArray(), labels.length);
        }
    }

    /** Tip-Adapter's search grid: {@code steps} values {@code i·(max − 0.1)/steps + 0.1}, i from 0. */
    static double[] grid(double max, int steps) {
        return IntStream.range(0, steps).mapToDouble(i -> i * (max - 0.1) / steps + 0.1).toArray();
    }

    /** The outcome of a search: the chosen α and β and their leave-one-out accuracy. */
    record Search(Kernel best, double accuracy) {
    }

    /**
     * Tip-Adapter's grid search, with the labeled shots as the validation set: each shot is classified by the cache
     * of the other shots (leave-one-out; with itself in the cache its own key would add α to its own class and favour
     * the largest α). The first grid point (smallest β, then smallest α) of the highest accuracy wins, as the
     * released search's strict {@code >} chooses.
     */
    static Search search(LabeledSet shots, AdaptationData data, double[] alphas, double[] betas) {
        int n = shots.size();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray images = Tensor.of(shots.embeddings()).toArray(manager);
            NDArray labels = manager.create(shots.labels());
            NDArray values = labels.oneHot(data.classCount());
            NDArray zeroShot = images.matMul(Tensor.of(data.classWeights()).toArray(manager).transpose())
                    .mul(data.logitScale());
            NDArray others = manager.eye(n).neg().add(1);
            NDArray affinity = images.matMul(images.transpose());
            NDArray alphaColumn = manager.create(alphas).toType(DataType.FLOAT32, false).reshape(alphas.length, 1, 1);
            Kernel best = null;
            long bestCorrect = -1;
            NDArray expected = labels.toType(DataType.INT64, false).expandDims(0);
            for (double beta : betas) {
                long[] correct;
                try (NDScope scope = new NDScope()) {
                    NDArray cache = affinity.sub(1).mul(beta).exp().mul(others).matMul(values);
                    NDArray logits = cache.expandDims(0).mul(alphaColumn).add(zeroShot.expandDims(0));
                    correct = logits.argMax(2).eq(expected).toType(DataType.INT64, false).sum(new int[] {1})
                            .toLongArray();
                }
                for (int a = 0; a < alphas.length; a++) {
                    if (correct[a] > bestCorrect) {
                        bestCorrect = correct[a];
                        best = new Kernel(alphas[a], beta);
                    }
                }
            }
            return new Search(best, (double) bestCorrect / n);
        }
    }
}
