package org.clipwb.core.adapt.coft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.PhaseContext;
import org.clipwb.core.adapt.PseudoLabelStats;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.images.BatchStream;
import org.clipwb.core.adapt.images.Seeds;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.train.CosineSchedule;
import org.clipwb.core.adapt.train.Gradients;
import org.clipwb.core.adapt.train.Minibatches;
import org.clipwb.core.adapt.train.PhaseProgress;
import org.clipwb.core.adapt.train.Sgd;

/**
 * CoFT's Phase I (methods.md §4.4): two models, A and B, each frozen CLIP with its own visual module and its own
 * positive and negative prompts, trained in parallel on the confident pseudo-labels (and the labeled shots) with
 * DeFT's dual loss; different initialisation and data order make them disagree where the labels are unsure (★).
 * SGD with momentum and weight decay, learning rate on a cosine over epochs (DeFT's CosineAnnealingLR).
 */
final class PhaseOne {
    /** The two models, in order. */
    static final List<String> MODELS = List.of("A", "B");
    private static final String PHASE = "phase1";
    /** The value that counts the steps skipped for corrupted gradients ({@link Gradients#vet}). */
    static final String SKIPPED = "skipped_steps";

    private final CoftImages images;
    private final Settings settings;
    private final long seed;
    private final double maxGradientNorm;
    private final boolean cacheFeatures;

    PhaseOne(CoftImages images, Settings settings, long seed) {
        this.images = images;
        this.settings = settings;
        this.seed = seed;
        this.maxGradientNorm = settings.decimal(CoftSettings.maxGradientNorm(PHASE));
        this.cacheFeatures = settings.flag(CoftSettings.CACHE_FEATURES);
    }

    /** The images a round trains on: confident pseudo-labels, then every labeled shot (always clean). */
    record Items(int[] image, int[] label, boolean[] trusted) {
        int size() {
            return image.length;
        }
    }

    Items items(PseudoLabels labels) {
        int[] selected = labels.selected();
        int n = selected.length + images.shots();
        Items items = new Items(new int[n], new int[n], new boolean[n]);
        for (int i = 0; i < selected.length; i++) {
            items.image()[i] = selected[i];
            items.label()[i] = labels.predicted()[selected[i]];
        }
        for (int s = 0; s < images.shots(); s++) {
            int i = selected.length + s;
            items.image()[i] = images.targets() + s;
            items.label()[i] = images.shotLabel(s);
            items.trusted()[i] = true;
        }
        return items;
    }

    /** Model {@code name} of round {@code round}, freshly initialised from its own seed. */
    DualPromptModel create(String name, int round) {
        NDManager manager = images.manager();
        SplittableRandom random = new SplittableRandom(Seeds.of(seed, PHASE, "init", round, name));
        String module = settings.choice(CoftSettings.PAIR).equals("modules")
                ? (name.equals("A") ? "vpt" : "adapter") : settings.choice(CoftSettings.VISUAL_MODULE);
        var vision = images.model().config().vision();
        Optional<VisualPrompts> prompts = module.contains("vpt") ? Optional.of(VisualPrompts.initialise(manager, random,
                vision, settings.integer(CoftSettings.VPT_TOKENS), settings.integer(CoftSettings.VPT_LAYERS)))
                : Optional.empty();
        Optional<FeatureAdapter> adapter = module.contains("adapter") ? Optional.of(FeatureAdapter.initialise(manager,
                random, images.model().config().embedDim(), settings.decimal(CoftSettings.ADAPTER_RATIO)))
                : Optional.empty();
        ClassPrompts classPrompts = images.classPrompts();
        NDArray positive = context(random);
        NDArray negative = context(random);
        return new DualPromptModel(images.model(), images.frozen(),
                new ImageEncoder(images.model(), images.frozen(), prompts, adapter), classPrompts, positive, negative,
                images.scale());
    }

    private NDArray context(SplittableRandom random) {
        NDManager manager = images.manager();
        ClassPrompts prompts = images.classPrompts();
        NDArray initial = settings.choice(CoftSettings.CONTEXT_INIT).equals("a-photo-of-a")
                ? ClassPrompts.photoPhraseContext(images.model(), images.clip().tokenizer(), manager)
                : CoftArrays.normal(manager, random, 0.02, prompts.contextTokens(), prompts.width());
        return CoftArrays.parameter(manager, initial, true);
    }

    /** The two trained models of a finished round, from its outputs. */
    List<DualPromptModel> restore(Checkpoint outputs, int round) {
        List<DualPromptModel> models = new ArrayList<>();
        for (String name : MODELS) {
            DualPromptModel model = create(name, round);
            CoftArrays.load(model.parameters(), outputs.tensors(), name + ".");
            models.add(model);
        }
        return models;
    }

    /**
     * Trains round {@code round} (from its last saved epoch when resumed) on {@code labels}, the models starting from
     * {@code startFrom} (the last round's outputs, in CoFT+ without re-initialisation) or freshly initialised.
     */
    Checkpoint.Builder train(PhaseContext phase, int round, PseudoLabels labels, Optional<Checkpoint> startFrom)
            throws IOException {
        Items items = items(labels);
        int epochs = settings.integer(CoftSettings.epochs(PHASE));
        int batchSize = settings.integer(CoftSettings.batchSize(PHASE));
        int warmup = settings.integer(CoftSettings.WARMUP_EPOCHS);
        boolean detach = settings.flag(CoftSettings.DETACH_NEGATIVE);
        CosineSchedule schedule = CosineSchedule.of(settings.decimal(CoftSettings.learningRate(PHASE)), epochs);
        Optional<Checkpoint> resume = phase.resumeFrom();
        List<DualPromptModel> models = new ArrayList<>();
        List<Sgd> optimizers = new ArrayList<>();
        for (String name : MODELS) {
            DualPromptModel model = create(name, round);
            Optional<Checkpoint> start = resume.isPresent() ? resume : startFrom;
            start.ifPresent(c -> CoftArrays.load(model.parameters(), c.tensors(), name + "."));
            Sgd optimizer = new Sgd(images.manager(), settings.decimal(CoftSettings.momentum(PHASE)),
                    settings.decimal(CoftSettings.weightDecay(PHASE)));
            resume.ifPresent(c -> optimizer.restore(CoftArrays.unprefixed(c, name + ".")));
            models.add(model);
            optimizers.add(optimizer);
        }
        int firstEpoch = resume.map(Checkpoint::epochsDone).orElse(0);
        int skipped = resume.flatMap(c -> c.value(SKIPPED)).map(Integer::parseInt).orElse(0);
        long stepsPerEpoch = (long) Minibatches.count(items.size(), batchSize, false) * MODELS.size();
        PhaseProgress progress = new PhaseProgress(phase, epochs, epochs * stepsPerEpoch, firstEpoch * stepsPerEpoch,
                CoftSettings.learningRate(PHASE));
        for (int epoch = firstEpoch; epoch < epochs; epoch++) {
            double rate = schedule.rate(epoch);
            boolean warm = epoch < warmup;
            Map<String, Double> losses = new LinkedHashMap<>();
            double cleanSum = 0;
            for (int m = 0; m < MODELS.size(); m++) {
                String name = MODELS.get(m);
                double[] sums = new double[3];
                List<int[]> batches = Minibatches.of(items.size(), batchSize, Seeds.of(seed, PHASE, "order", round, name),
                        epoch, false);
                List<int[]> imageBatches = batches.stream()
                        .map(batch -> java.util.Arrays.stream(batch).map(i -> items.image()[i]).toArray()).toList();
                // Without a stream the model trains on the frozen tower's cached features, unaugmented.
                boolean cached = cacheFeatures && models.get(m).encoder().towerIsFrozen();
                try (BatchStream stream = cached ? null : images.stream(images.training(), imageBatches,
                        List.of(images.augmentation()), Seeds.of(seed, PHASE, "views", round, name, epoch))) {
                    for (int b = 0; b < batches.size(); b++) {
                        int[] batch = batches.get(b);
                        phase.checkCancelled();
                        Optional<float[]> pixels = cached ? Optional.empty() : Optional.of(CoftImages.next(stream)[0]);
                        double[] batchLosses = step(models.get(m), optimizers.get(m), items, batch, imageBatches.get(b),
                                pixels, warm, detach, rate, Seeds.of(seed, PHASE, "complementary", round, name, epoch));
                        for (int k = 0; k < sums.length; k++) {
                            sums[k] += batchLosses[k] * (k < 2 ? batch.length : 1);
                        }
                        skipped += (int) batchLosses[3];
                        progress.step(epoch, batch.length, Map.of(name + ".cls", batchLosses[0], name + ".neg",
                                batchLosses[1]), rate);
                    }
                }
                losses.put(name + ".cls", sums[0] / items.size());
                losses.put(name + ".neg", sums[1] / items.size());
                cleanSum += sums[2] / items.size();
            }
            losses.put("total", losses.values().stream().mapToDouble(Double::doubleValue).sum());
            Checkpoint.Builder state = Checkpoint.after(epoch + 1).value(SKIPPED, skipped);
            for (int m = 0; m < MODELS.size(); m++) {
                String prefix = MODELS.get(m) + ".";
                state.tensors(CoftArrays.save(models.get(m).parameters(), prefix));
                optimizers.get(m).state().forEach((key, tensor) -> state.tensor(prefix + key, tensor));
            }
            double cleanFraction = cleanSum / MODELS.size();
            progress.epoch(epoch, losses, rate, new PseudoLabelStats(items.size(), images.targets(),
                    OptionalDouble.of(cleanFraction), optional(labels.selectedAccuracy(
                            phase.run().data().target().labels())), OptionalDouble.empty()),
                    String.format(java.util.Locale.ROOT, "%s epoch %d of %d (%s): %.0f%% of labels clean by S⁺ > S⁻%s",
                            phase.phase(), epoch + 1, epochs, warm ? "warm-up" : "clean/noisy split",
                            100 * cleanFraction, skipped == 0 ? "" : "; " + skipped + " corrupted steps skipped"));
            phase.saveEpoch(state.inProgress()); // after the check: a diverged epoch is not kept
        }
        Checkpoint.Builder outputs = Checkpoint.after(epochs);
        for (int m = 0; m < MODELS.size(); m++) {
            outputs.tensors(CoftArrays.save(models.get(m).parameters(), MODELS.get(m) + "."));
        }
        return outputs.value("trained_on", items.size()).value(SKIPPED, skipped);
    }

    /** One SGD step of one model: its L_cls, L_neg, number of clean labels, and 1 if it was skipped (else 0). */
    private double[] step(DualPromptModel model, Sgd optimizer, Items items, int[] batch, int[] imageIndices,
            Optional<float[]> pixels, boolean warmup, boolean detach, double rate, long complementarySeed) {
        int classes = images.classCount();
        long[] labels = new long[batch.length];
        long[] complementary = new long[batch.length];
        float[] trusted = new float[batch.length];
        for (int b = 0; b < batch.length; b++) {
            int item = batch[b];
            labels[b] = items.label()[item];
            // DeFT re-draws the complementary label each time a sample is loaded: here per (epoch, item), seeded.
            int other = new SplittableRandom(Seeds.of(complementarySeed, item)).nextInt(classes - 1);
            complementary[b] = other >= labels[b] ? other + 1 : other;
            trusted[b] = items.trusted()[item] ? 1 : 0;
        }
        NDManager manager = images.manager();
        double[] losses;
        boolean taken;
        try (NDScope scope = new NDScope()) {
            NDArray input = pixels.isPresent() ? images.pixels(pixels.get(), batch.length)
                    : model.encoder().adapt(images.frozenFeatures(imageIndices));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                DualPromptModel.Scores scores = pixels.isPresent() ? model.scores(input, true, detach)
                        : model.scoresOfFeatures(input, true, detach);
                DualPromptLoss.Terms terms = DualPromptLoss.compute(scores.positive(), scores.negative(),
                        manager.create(labels), manager.create(complementary), manager.create(trusted), warmup);
                collector.backward(terms.total());
                taken = Gradients.vet(model.parameters().values(), maxGradientNorm);
                losses = new double[] {terms.cls().getFloat(), terms.neg().getFloat(), terms.clean().sum().getFloat()};
            }
            if (taken) {
                optimizer.step(model.parameters(), rate);
            }
        }
        return new double[] {losses[0], losses[1], losses[2], taken ? 0 : 1};
    }


    private static OptionalDouble optional(double value) {
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
