package org.clipwb.core.adapt.coft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethod;
import org.clipwb.core.adapt.AdaptedEmbeddings;
import org.clipwb.core.adapt.AdaptedEncoder;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.MethodInfo.PhaseInfo;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.describe.Described;
import org.clipwb.core.util.FloatRows;

/**
 * CoFT and CoFT+, collaborative fine-tuning without labels (Wang, Meng, Cai, Song, Xia, arXiv 2602.04337), as
 * reconstructed in methods.md §4.4–4.5 (the paper body is unpublished; every choice is a setting):
 * <ol>
 * <li>zero-shot pseudo-labels, the confident ones selected (UPL's top-K per class);</li>
 * <li>Phase I: two models, each frozen CLIP with deep visual prompts and DeFT's positive and negative text prompts,
 * trained in parallel with the dual loss on the confident labels;</li>
 * <li>Phase II: each model proposes a label for every image and the other accepts it when S⁺ > S⁻ (no threshold);
 * the image encoder is then fully fine-tuned on the retained labels against the validating model's positive-prompt
 * text features.</li>
 * </ol>
 * CoFT+ adds class descriptions for the zero-shot classifier (CuPL), rounds of Phase I with re-labelling between
 * them, and MoCo's contrastive term on every image during the full fine-tuning. The fine-tuned encoder is saved in
 * the run folder ({@link AdaptedEncoder}) and the run's predictions are made with it.
 */
public final class Coft implements AdaptationMethod {
    static final String DESCRIPTIONS = "descriptions";
    static final String FILTER = "filter";
    static final String FINE_TUNE = "finetune";

    private static final String PAPER = "Wang, Meng, Cai, Song, Xia. Collaborative Fine-Tuning of CLIP without "
            + "annotations (CoFT/CoFT+). arXiv 2602.04337; reconstructed from its abstract and DeFT's code, methods.md §4";

    private final boolean plus;
    private final MethodInfo info;

    private Coft(boolean plus) {
        this.plus = plus;
        List<PhaseInfo> phases = new ArrayList<>();
        if (plus) {
            phases.add(new PhaseInfo(DESCRIPTIONS, "Class descriptions",
                    "CuPL descriptions of each class from the configured provider, averaged into the zero-shot classifier"));
        }
        phases.add(PseudoLabelPhase.INFO);
        phases.add(new PhaseInfo(plus ? "phase1-round1" : "phase1", "Phase I: dual-prompt PEFT of two models",
                "Models A and B (visual prompts, positive and negative prompts) trained on the confident labels with "
                        + "DeFT's dual loss" + (plus ? "; repeated for each round after re-labelling" : "")));
        phases.add(new PhaseInfo(FILTER, "Phase II: collaborative filtering",
                "Each model's labels of all images validated by the other (S⁺ > S⁻)"));
        phases.add(new PhaseInfo(FINE_TUNE, "Phase II: full fine-tuning",
                "The visual encoder fine-tuned on the retained labels" + (plus ? ", with MoCo on every image" : "")));
        this.info = new MethodInfo(plus ? "coft+" : "coft", plus
                ? "CoFT+: collaborative fine-tuning with rounds, momentum contrast and class descriptions"
                : "CoFT: collaborative fine-tuning (dual prompts, two models, full fine-tuning)", PAPER, phases,
                plus ? CoftSettings.coftPlus() : CoftSettings.coft());
    }

    /** CoFT. */
    public static Coft coft() {
        return new Coft(false);
    }

    /** CoFT+. */
    public static Coft coftPlus() {
        return new Coft(true);
    }

    @Override
    public MethodInfo info() {
        return info;
    }

    /** CoFT+ describes the classes unless {@code coftplus.classifier=templates}; CoFT does not. */
    @Override
    public boolean usesDescriptions(Settings settings) {
        return plus && !settings.choice(CoftSettings.CLASSIFIER).equals("templates");
    }

    @Override
    public ClassifierHead adapt(RunContext context) throws IOException {
        AdaptationData data = context.data();
        ImageSource source = data.requireImages(info.id() + " fine-tunes the image encoder");
        Settings settings = context.settings();
        try (CoftImages images = new CoftImages(data, source, settings)) {
            float[][] classWeights = plus ? descriptionClassifier(context, images) : data.classWeights();
            PseudoLabels labels = PseudoLabelPhase.run(context, classWeights);
            context.putMetric("coft.phase0.selected", labels.selected().length);
            putIfKnown(context, "coft.phase0.selected_precision", labels.selectedAccuracy(data.target().labels()));
            PhaseOne phaseOne = new PhaseOne(images, settings, context.seed());
            PhaseTwo phaseTwo = new PhaseTwo(images, settings, context.seed(), plus, classWeights);
            int rounds = plus ? settings.integer(CoftSettings.ROUNDS) : 1;
            Optional<Checkpoint> trained = Optional.empty();
            int skipped = 0; // steps skipped for corrupted gradients, over every training phase
            int order = 1;
            for (int round = 1; round <= rounds; round++) {
                int thisRound = round;
                PseudoLabels roundLabels = labels;
                Optional<Checkpoint> startFrom = plus && !settings.flag(CoftSettings.REINIT) ? trained
                        : Optional.empty();
                trained = Optional.of(context.phase(plus ? "phase1-round" + round : "phase1",
                        phase -> phaseOne.train(phase, thisRound, roundLabels, startFrom)));
                skipped += Integer.parseInt(trained.get().value(PhaseOne.SKIPPED).orElse("0"));
                if (round < rounds) {
                    List<DualPromptModel> models = phaseOne.restore(trained.get(), round);
                    int signalOrder = order++;
                    Checkpoint relabelled = context.phase("relabel-round" + round,
                            phase -> phaseTwo.filter(phase, signalOrder, models, true));
                    labels = PhaseTwo.nextLabels(relabelled);
                }
            }
            List<DualPromptModel> models = phaseOne.restore(trained.orElseThrow(), rounds);
            int filterOrder = order++;
            Checkpoint filtered = context.phase(FILTER, phase -> phaseTwo.filter(phase, filterOrder, models, false));
            putFilterMetrics(context, filtered, data.target().labels());
            int tuneOrder = order;
            Checkpoint tuned = context.phase(FINE_TUNE, phase -> phaseTwo.fineTune(phase, tuneOrder, filtered, models));
            AdaptedEncoder.save(context.store().directory(), PhaseTwo.savedEncoder(tuned));
            skipped += Integer.parseInt(tuned.value(PhaseOne.SKIPPED).orElse("0"));
            context.putMetric("coft.skipped_steps", skipped);
            if (Boolean.parseBoolean(tuned.value("encoder.modules").orElse("false"))) {
                context.addNote("the fine-tuned encoder keeps model A's visual module (phase2.init=model-a): it "
                        + "classifies here but cannot be exported as a CLIP checkpoint");
            }
            context.useAdaptedEmbeddings(new AdaptedEmbeddings(tuned.tensor("target_embeddings").rows(),
                    Optional.ofNullable(tuned.tensors().get("test_embeddings")).map(Tensor::rows)));
            return PhaseTwo.savedHead(tuned);
        }
    }

    /**
     * CoFT+'s zero-shot classifier (§4.5, CuPL §1.9): the renormalised mean embedding of each class's descriptions,
     * optionally averaged with the template classifier; the provider that wrote them is recorded with the run.
     */
    private float[][] descriptionClassifier(RunContext context, CoftImages images) throws IOException {
        AdaptationData data = context.data();
        String choice = context.settings().choice(CoftSettings.CLASSIFIER);
        Checkpoint described = context.phase(DESCRIPTIONS, phase -> {
            if (choice.equals("templates")) {
                return Checkpoint.after(0).tensor("class_weights", Tensor.of(data.classWeights()))
                        .value("provider", "none (templates; coftplus.classifier=templates)").value("per_class", 0);
            }
            Described<String, List<String>> descriptions = describe(data);
            List<String> names = data.classes().names();
            float[][] weights = new float[names.size()][];
            int fewest = Integer.MAX_VALUE;
            for (int c = 0; c < names.size(); c++) {
                List<String> texts = descriptions.descriptions().get(names.get(c));
                if (texts == null || texts.isEmpty()) {
                    throw new IllegalStateException(descriptions.provider() + " gave no description of class \""
                            + names.get(c) + "\"");
                }
                fewest = Math.min(fewest, texts.size());
                weights[c] = meanDirection(images.clip().embedTexts(texts),
                        choice.equals("descriptions+templates") ? Optional.of(data.classWeights()[c]) : Optional.empty());
            }
            phase.report(ProgressEvent.message(DESCRIPTIONS, "class descriptions by " + descriptions.provider() + ": at "
                    + "least " + fewest + " per class"));
            return Checkpoint.after(0).tensor("class_weights", Tensor.of(weights))
                    .value("provider", descriptions.provider()).value("per_class", fewest);
        });
        String provider = described.value("provider").orElse("?");
        context.addNote("class descriptions: " + provider);
        context.putMetric("coftplus.descriptions_per_class",
                Double.parseDouble(described.value("per_class").orElse("0")));
        return described.tensor("class_weights").rows();
    }

    private Described<String, List<String>> describe(AdaptationData data) throws IOException {
        var source = data.descriptions().orElseThrow(() -> new IllegalStateException("CoFT+ builds its zero-shot "
                + "classifier from class descriptions, and none are configured: give a description source (clipwb "
                + "adapt --descriptions offline|FILE.json|ollama:MODEL) or --set " + CoftSettings.CLASSIFIER
                + "=templates"));
        try {
            return source.describe(data.classes().names());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while describing the classes");
        }
    }

    /** norm(mean of normalised rows), averaged with {@code template} (then renormalised) when given. */
    private static float[] meanDirection(float[][] rows, Optional<float[]> template) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray mean = CoftArrays.normalise(manager.create(FloatRows.join(rows), new Shape(rows.length,
                    rows[0].length)).mean(new int[] {0}, true));
            if (template.isPresent()) {
                mean = CoftArrays.normalise(mean.add(manager.create(template.get()).reshape(1, -1)));
            }
            return mean.toFloatArray();
        }
    }

    private static void putFilterMetrics(RunContext context, Checkpoint filtered, int[] evaluation) {
        int[] labels = PseudoLabelPhase.toInts(filtered.tensor("label").values());
        float[] pClean = filtered.tensor("p_clean").values();
        int[] kept = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] >= 0).toArray();
        context.putMetric("coft.retained", kept.length);
        context.putMetric("coft.retained_fraction", labels.length == 0 ? 0 : (double) kept.length / labels.length);
        putIfKnown(context, "coft.retained_mean_p_clean", Arrays.stream(kept).mapToDouble(i -> pClean[i]).average()
                .orElse(Double.NaN));
        putIfKnown(context, "coft.retained_precision", PseudoLabels.accuracy(kept, labels, evaluation));
    }

    private static void putIfKnown(RunContext context, String name, double value) {
        if (!Double.isNaN(value)) {
            context.putMetric(name, value);
        }
    }
}
