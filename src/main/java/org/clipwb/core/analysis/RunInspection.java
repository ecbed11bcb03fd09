package org.clipwb.core.analysis;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.AdaptedEncoder;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.PhaseSignals;
import org.clipwb.core.adapt.RunSignals;
import org.clipwb.core.adapt.RunStore;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.HeadFiles;
import org.clipwb.core.adapt.head.LluHead;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.core.project.RunRecord;

/**
 * What one run recorded about each image, matched to the images on show: the pseudo-label phase by phase, CoFT's
 * positive and negative prompt similarities with p_clean, LLU's mask α(x) and the anchors that make it, LatteCLIP's
 * descriptions and mixer weights. Each section is empty for an image, or for the whole run, that has no data for
 * it; the views say so in plain words.
 */
public final class RunInspection {
    /** LatteCLIP's per-image mixer weights [N, 4], in the order of {@link #MIXER_TERMS}. */
    public static final String LATTE_MIXER = "latte.mixer";
    /** The texts LatteCLIP's Dynamic Feature Mixer weighs (methods.md §3.3), in the order of {@link #LATTE_MIXER}. */
    public static final List<String> MIXER_TERMS = List.of("fine-tuned label", "zero-shot label", "image description",
            "group description");
    /** LLU's α(x) per image [N]. */
    public static final String LLU_ALPHA = "llu.alpha";
    private static final String COFT_PREFIX = "coft.";
    // The keys of LatteCLIP's descriptions phase checkpoint (core.adapt.latte.DescriptionsPhase).
    private static final String DESCRIPTIONS_PHASE = "descriptions";
    private static final String LABELS_PHASE = "labels";

    private final RunRecord run;
    private final Path runDirectory;
    private final List<PhaseSignals> phases;
    private final Optional<ClassifierHead> head;
    private final int[] runIndex;
    private final Map<Integer, LatteTexts> descriptions;

    private RunInspection(RunRecord run, Path directory, List<PhaseSignals> phases, Optional<ClassifierHead> head, int[] runIndex,
            Map<Integer, LatteTexts> descriptions) {
        this.run = run;
        this.runDirectory = directory;
        this.phases = phases;
        this.head = head;
        this.runIndex = runIndex;
        this.descriptions = descriptions;
    }

    /** One phase's verdict on one image. */
    public record Step(String phase, int label, float confidence, boolean kept) {
    }

    /**
     * CoFT's view of one image in its filtering phase: S⁺ and S⁻ of every class for both models, the retained
     * label's p_clean, who proposed it and who validated it.
     *
     * @param generator 0 for model A, 1 for model B, −1 when the image was discarded
     */
    public record CoftVerdict(String phase, float[] positiveA, float[] negativeA, float[] positiveB, float[] negativeB,
            float cleanProbability, int generator, int validator, int label, boolean kept) {
        /** p_clean = σ(S⁺ − S⁻) of {@code label} under model A (0) or B (1). */
        public double cleanProbability(int model, int label) {
            float[] positive = model == 0 ? positiveA : positiveB;
            float[] negative = model == 0 ? negativeA : negativeB;
            return 1 / (1 + Math.exp(-(positive[label] - negative[label])));
        }
    }

    /** One LLU anchor's pull on an image, and the images nearest that anchor. */
    public record AnchorPull(int anchor, float weight, int[] nearestImages, float[] similarities) {
    }

    /**
     * LLU's mask of one image: α(x) = max over anchors of β · exp(−γ (1 − xᵀd)), and the anchors that pull hardest.
     */
    public record LluMask(float alpha, List<AnchorPull> strongest, int anchorCount) {
    }

    /**
     * LatteCLIP's texts of one image, when it was a training image, and its mixer weights, when the run recorded them.
     *
     * @param groupImages the images of its group picture, as indices of the images on show (−1 for one not shown)
     */
    public record LatteTexts(Optional<String> imageDescription, Optional<String> groupDescription, int[] groupImages,
            Optional<float[]> mixerWeights) {
    }

    /**
     * Reads the run's signals, classifier and texts, and matches its images to {@code images} by key.
     *
     * @throws IOException when a file of the run cannot be read
     */
    public static RunInspection load(ProjectCatalog catalog, RunRecord run, ImageSet images) throws IOException {
        Path directory = catalog.runDirectory(run.id());
        List<PhaseSignals> phases = new RunSignals(directory).phases();
        Path classifier = directory.resolve(AdaptationRunner.CLASSIFIER_FOLDER);
        Optional<ClassifierHead> head = HeadFiles.exists(classifier) ? Optional.of(HeadFiles.load(classifier).head())
                : Optional.empty();
        int runSize = phases.isEmpty() ? 0 : phases.get(0).size();
        int[] runIndex = match(catalog.predictions(run.id(), "target"), runSize, images);
        return new RunInspection(run, directory, phases, head, runIndex, latteTexts(directory, runIndex, images.size()));
    }

    /**
     * For each image on show, its index among the run's images. A run's images are its folder's embedded images in
     * sorted key order (as the catalog's predictions name them); without predictions (a run that did not finish),
     * the images are matched by position when the counts agree.
     */
    private static int[] match(List<ProjectCatalog.PredictionRow> predictions, int runSize, ImageSet images) {
        int[] runIndex = new int[images.size()];
        Arrays.fill(runIndex, -1);
        if (!predictions.isEmpty()) {
            List<String> runKeys = predictions.stream().map(ProjectCatalog.PredictionRow::path)
                    .sorted(Comparator.naturalOrder()).toList();
            Map<String, Integer> shown = images.indexByKey();
            for (int r = 0; r < runKeys.size(); r++) {
                Integer i = shown.get(runKeys.get(r));
                if (i != null) {
                    runIndex[i] = r;
                }
            }
        } else if (runSize == images.size()) {
            for (int i = 0; i < runIndex.length; i++) {
                runIndex[i] = i;
            }
        }
        return runIndex;
    }

    private static Map<Integer, LatteTexts> latteTexts(Path directory, int[] runIndex, int shownCount)
            throws IOException {
        if (!Files.isRegularFile(directory.resolve("checkpoints").resolve(DESCRIPTIONS_PHASE + ".safetensors"))) {
            return Map.of();
        }
        RunStore store = new RunStore(directory);
        Optional<Checkpoint> described = store.checkpoint(DESCRIPTIONS_PHASE);
        Optional<Checkpoint> labels = store.checkpoint(LABELS_PHASE);
        if (described.isEmpty() || !described.get().complete() || labels.isEmpty()) {
            return Map.of();
        }
        int[] shownOf = new int[Arrays.stream(runIndex).max().orElse(-1) + 1];
        Arrays.fill(shownOf, -1);
        for (int i = 0; i < shownCount; i++) {
            if (runIndex[i] >= 0) {
                shownOf[runIndex[i]] = i;
            }
        }
        float[] selected = labels.get().tensor("selected").values();
        float[][] groups = described.get().tensor("groups").rows();
        Map<Integer, LatteTexts> texts = new HashMap<>();
        for (int k = 0; k < selected.length; k++) {
            int target = (int) selected[k];
            if (target >= shownOf.length || shownOf[target] < 0) {
                continue;
            }
            int[] group = new int[groups[k].length];
            for (int m = 0; m < group.length; m++) {
                int member = (int) groups[k][m];
                group[m] = member < shownOf.length ? shownOf[member] : -1;
            }
            texts.put(shownOf[target], new LatteTexts(described.get().value("image." + k),
                    described.get().value("group." + k), group, Optional.empty()));
        }
        return texts;
    }

    /** The run. */
    public RunRecord run() {
        return run;
    }

    /** Its phases' signals, in run order. */
    public List<PhaseSignals> phases() {
        return phases;
    }

    /** Whether the run recorded anything about image {@code i} of the images on show. */
    public boolean covers(int i) {
        return runIndex[i] >= 0 && !phases.isEmpty();
    }

    /** The run's index of image {@code i} on show, when the run saw it. */
    public Optional<Integer> runIndex(int i) {
        return runIndex[i] >= 0 ? Optional.of(runIndex[i]) : Optional.empty();
    }

    /** The image's pseudo-label, confidence and kept flag, phase by phase. */
    public List<Step> history(int i) {
        if (!covers(i)) {
            return List.of();
        }
        int r = runIndex[i];
        return phases.stream().map(p -> new Step(p.phase(), p.predicted()[r], p.confidence()[r], p.kept()[r])).toList();
    }

    /** The signals of the last phase that recorded {@code extra}, if any did. */
    public Optional<PhaseSignals> lastPhaseWith(String extra) {
        for (int p = phases.size() - 1; p >= 0; p--) {
            if (phases.get(p).extras().containsKey(extra)) {
                return Optional.of(phases.get(p));
            }
        }
        return Optional.empty();
    }

    /** CoFT's verdict on image {@code i} in its last filtering phase, when the run is a CoFT run. */
    public Optional<CoftVerdict> coft(int i) {
        Optional<PhaseSignals> phase = lastPhaseWith(COFT_PREFIX + "s_pos_a");
        if (phase.isEmpty() || !covers(i)) {
            return Optional.empty();
        }
        PhaseSignals p = phase.get();
        int r = runIndex[i];
        return Optional.of(new CoftVerdict(p.phase(), row(p, "s_pos_a", r), row(p, "s_neg_a", r), row(p, "s_pos_b", r),
                row(p, "s_neg_b", r), row(p, "p_clean", r)[0], (int) row(p, "generator", r)[0],
                (int) row(p, "validator", r)[0], p.predicted()[r], p.kept()[r]));
    }

    private static float[] row(PhaseSignals phase, String name, int image) {
        return phase.extra(COFT_PREFIX + name, image).orElseThrow(() -> new IllegalStateException(
                "CoFT phase " + phase.phase() + " lacks its signal " + COFT_PREFIX + name));
    }

    /** Whether the run recorded LLU's mask. */
    public boolean hasLluMask() {
        return lastPhaseWith(LLU_ALPHA).isPresent();
    }

    /** The p_clean of every image in the last CoFT filtering phase (NaN for images the run did not see). */
    public Optional<float[]> cleanProbabilities(int shownCount) {
        return perImage(COFT_PREFIX + "p_clean", shownCount);
    }

    /** LLU's α(x) of every image on show (NaN for images the run did not see). */
    public Optional<float[]> alphas(int shownCount) {
        return perImage(LLU_ALPHA, shownCount);
    }

    private Optional<float[]> perImage(String extra, int shownCount) {
        return lastPhaseWith(extra).map(phase -> {
            float[] values = new float[shownCount];
            for (int i = 0; i < shownCount; i++) {
                values[i] = runIndex[i] >= 0 ? phase.extra(extra, runIndex[i]).orElseThrow()[0] : Float.NaN;
            }
            return values;
        });
    }

    /**
     * LLU's mask of image {@code i}: its recorded α(x), and the {@code anchorCount} anchors that pull it hardest
     * (β · exp(−γ (1 − xᵀd)) from the run's saved classifier), each with its {@code imagesPerAnchor} nearest images
     * among {@code images} (one batched similarity search for all of them).
     */
    public Optional<LluMask> llu(int i, ImageSet images, int anchorCount, int imagesPerAnchor) {
        Optional<PhaseSignals> phase = lastPhaseWith(LLU_ALPHA);
        if (phase.isEmpty() || !covers(i)) {
            return Optional.empty();
        }
        float alpha = phase.get().extra(LLU_ALPHA, runIndex[i]).orElseThrow()[0];
        if (head.isEmpty() || !(head.get() instanceof LluHead llu)) {
            return Optional.of(new LluMask(alpha, List.of(), 0));
        }
        float[] weights;
        try (NDManager manager = NDManager.newBaseManager()) {
            weights = llu.anchorWeights(Tensor.of(new float[][] {images.embeddings()[i]}).toArray(manager))
                    .toFloatArray();
        }
        Integer[] order = new Integer[weights.length];
        for (int a = 0; a < order.length; a++) {
            order[a] = a;
        }
        Arrays.sort(order, (a, b) -> Float.compare(weights[b], weights[a]));
        int shown = Math.min(anchorCount, order.length);
        float[][] anchors = new float[shown][];
        for (int k = 0; k < shown; k++) {
            anchors[k] = llu.imageAnchors()[order[k]];
        }
        int[] none = new int[shown];
        Arrays.fill(none, -1);
        NearestNeighbours.Neighbours[] nearest = new NearestNeighbours(images.embeddings())
                .search(anchors, imagesPerAnchor, none);
        List<AnchorPull> pulls = new ArrayList<>(shown);
        for (int k = 0; k < shown; k++) {
            pulls.add(new AnchorPull(order[k], weights[order[k]], nearest[k].indices(), nearest[k].similarities()));
        }
        return Optional.of(new LluMask(alpha, List.copyOf(pulls), weights.length));
    }

    /** LatteCLIP's texts and mixer weights of image {@code i}, when the run recorded either. */
    public Optional<LatteTexts> latte(int i) {
        Optional<float[]> mixer = lastPhaseWith(LATTE_MIXER).filter(p -> covers(i))
                .flatMap(p -> p.extra(LATTE_MIXER, runIndex[i]));
        LatteTexts texts = descriptions.get(i);
        if (texts == null && mixer.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(texts == null ? new LatteTexts(Optional.empty(), Optional.empty(), new int[0], mixer)
                : new LatteTexts(texts.imageDescription(), texts.groupDescription(), texts.groupImages(), mixer));
    }

    /**
     * The run's adapted classifier's probabilities of every image on show, when the run kept the frozen image
     * encoder (a run that fine-tuned the encoder, CoFT, classifies other embeddings than the cached ones).
     */
    public Optional<float[][]> adaptedProbabilities(ImageSet images) throws IOException {
        if (head.isEmpty() || Files.isRegularFile(runDirectory.resolve(AdaptedEncoder.FILE))) {
            return Optional.empty();
        }
        return Optional.of(head.get().probabilities(images.embeddings()));
    }

    /** Whether the run wrote LatteCLIP descriptions for any image on show. */
    public boolean hasDescriptions() {
        return !descriptions.isEmpty();
    }
}
