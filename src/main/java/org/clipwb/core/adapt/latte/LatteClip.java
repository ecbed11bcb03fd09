package org.clipwb.core.adapt.latte;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethod;
import org.clipwb.core.adapt.AdaptedEmbeddings;
import org.clipwb.core.adapt.AdaptedEncoder;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.RunStore;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.images.DecodedImages;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.model.Clip;

/**
 * LatteCLIP (Cao et al., WACV 2025; methods.md §3): the whole CLIP fine-tuned on unlabeled images against
 * per-sample text targets that mix class, image and group descriptions, anchored to a momentum-updated bank of class
 * prototypes, which is the classifier at test time.
 *
 * <p>Phases: zero-shot pseudo-labels, the image and group descriptions ({@link DescriptionsPhase}), then the training
 * ({@link TrainPhase}). Unlike the reference, which trains the whole CLIP, the text tower stays frozen (its gradient
 * there is scaled by α = 0.01, §3.1, Q6): every description is embedded once. The fine-tuned image encoder is saved
 * in the run folder ({@link AdaptedEncoder}), and the run classifies with it and the prototype head.
 */
public final class LatteClip implements AdaptationMethod {
    private static final List<Setting> SETTINGS = settings();

    private static List<Setting> settings() {
        List<Setting> all = new ArrayList<>();
        for (Setting setting : PseudoLabelPhase.SETTINGS) {
            // §3.3 trains on every image under its zero-shot label; a confident subset is an [INFERRED] option.
            all.add(!setting.key().equals("labels.selection") ? setting
                    : Setting.choice(setting.key(), setting.group(), "all", setting.choices(),
                            "Which images LatteCLIP describes and trains on: all, as the paper (§3.3), or a "
                                    + "confident subset [INFERRED option]"));
        }
        all.add(Setting.choice("latte.dataset-kind", "descriptions", DatasetKind.OBJECT.word(), DatasetKind.WORDS,
                "What the images show: picks the image prompt (§3.2 P3), the group prompt (P4) and, with "
                        + "latte.class-texts=dataset-kind, the class template (§3.4); \"object\" asks \"Describe "
                        + "the object in the photo concisely, less than 20 words.\""));
        all.add(Setting.integer("latte.group-size", "descriptions", 4, 1, 16,
                "Images per group picture (§3.2 P4: 4; supplement Table 2 also tries 2, 8, 16)"));
        all.add(Setting.decimal("latte.alpha", "training", 0.01, 0, 1,
                "α, how far a target moves from its class prototype toward the mixed text (§3.3: 0.01)"));
        all.add(Setting.choice("latte.class-texts", "descriptions", "run", List.of("run", "dataset-kind"),
                "The class texts L, the initial prototypes and the zero-shot labels: the run's zero-shot classifier "
                        + "(its --templates), or the dataset kind's template (§3.4, the reference's templates[0])"));
        all.add(Setting.flag("latte.replicate-broadcast-quirk", "training", false,
                "Mix label texts as the released code does (column scaling, w_lft in the zero-shot numerator; §3.7 "
                        + "Q1, Q2; needs batch size = embedding width) instead of as intended"));
        // The paper's recipe is for ViT-B/32 on thousands of images and one GPU; the defaults suit the demo model
        // on a few hundred images and a CPU, chosen on a development draw (docs/methods/latteclip.md).
        all.add(Setting.integer("train.epochs", "training", 4, 1, 100_000,
                "Epochs (§3.5: 50 for most datasets, 100 for DTD and Pets, 15 for EuroSAT, Food101, SUN397; 4 here, "
                        + "for the demo model on a CPU)"));
        all.add(Setting.integer("train.batch-size", "training", 32, 2, 65_536, "Batch size, full batches only "
                + "(§3.5: 512 with ViT-B/32 on a GPU; 32 here, several steps an epoch on a few hundred images)"));
        all.add(Setting.decimal("train.lr", "training", 1e-4, 0, 1,
                "AdamW learning rate, per-step cosine (§3.5: 1e-7 for ViT-B/32, 1e-6 for Food101 and SUN397; 1e-4 "
                        + "here, chosen for the demo model on a development draw: 1e-5 barely moves it)"));
        all.add(Setting.integer("train.warmup-steps", "training", 10, 0, 1_000_000,
                "Steps of linear warm-up (§3.5: 10 to 140, about one epoch)"));
        all.add(Setting.decimal("train.weight-decay", "training", 0.2, 0, 10,
                "AdamW weight decay of matrices, not gains, biases or logit_scale (§3.5: 0.2)"));
        return List.copyOf(all);
    }

    private static final MethodInfo INFO = new MethodInfo("latteclip",
            "LatteCLIP: fine-tuning with LMM-synthetic texts",
            "Cao et al. LatteCLIP: Unsupervised CLIP Fine-Tuning via LMM-Synthetic Texts. WACV 2025, arXiv 2410.08211",
            List.of(PseudoLabelPhase.INFO, DescriptionsPhase.INFO, TrainPhase.INFO), SETTINGS);

    private final Optional<LatteInputs> inputs;

    /** LatteCLIP with the image files of the data's source and the descriptions of its configured provider. */
    public LatteClip() {
        this.inputs = Optional.empty();
    }

    /** LatteCLIP with these image files and descriptions. */
    public LatteClip(LatteInputs inputs) {
        this.inputs = Optional.of(inputs);
    }

    /**
     * What a described target image got (methods.md §3.2 P3, P4): its description, the images of its group picture
     * (target indices, in grid order) and the group's description, and the provider that wrote them.
     */
    public record ImageTexts(String provider, String description, int[] group, String groupDescription) {
    }

    /**
     * The descriptions of a run's target images, by target index (the images it trained on), once its descriptions
     * phase is done; empty before.
     */
    public static Map<Integer, ImageTexts> descriptions(RunStore store) throws IOException {
        Map<Integer, ImageTexts> out = new LinkedHashMap<>();
        Optional<Checkpoint> outputs = store.checkpoint(DescriptionsPhase.ID).filter(Checkpoint::complete);
        if (outputs.isPresent()) {
            DescriptionsPhase.Descriptions texts = DescriptionsPhase.restore(outputs.get());
            int[] images = texts.images();
            for (int k = 0; k < images.length; k++) {
                out.put(images[k], new ImageTexts(texts.provider(), texts.imageDescriptions().get(k),
                        texts.groups()[k].clone(), texts.groupDescriptions().get(k)));
            }
        }
        return out;
    }

    @Override
    public MethodInfo info() {
        return INFO;
    }

    /** LatteCLIP describes every training image and its group. */
    @Override
    public boolean usesDescriptions(Settings settings) {
        return true;
    }

    @Override
    public ClassifierHead adapt(RunContext context) throws IOException {
        AdaptationData data = context.data();
        ImageSource source = data.requireImages("LatteCLIP fine-tunes the image encoder");
        LatteInputs latteInputs = inputs.orElseGet(() -> LatteInputs.of(data));
        Settings settings = context.settings();
        TrainPhase.checkBatchForQuirk(settings, data.dimension());
        if (data.shots().size() > 0) {
            context.addNote("LatteCLIP is unsupervised (methods.md §3): the " + data.shots().size()
                    + " labeled shots were not used");
        }
        try (LatteImages images = new LatteImages(data, source, DecodedImages.DEFAULT_BUDGET_BYTES)) {
            Clip clip = images.clip();
            // §3.3: L and the initial bank are the class texts that also gave the zero-shot labels (P2).
            String template = DatasetKind.of(settings.choice("latte.dataset-kind")).template();
            float[][] classTexts = settings.choice("latte.class-texts").equals("dataset-kind")
                    ? clip.embedTexts(data.classes().names().stream().map(name -> template.replace("{}", name)).toList())
                    : data.classWeights();
            PseudoLabels labels = PseudoLabelPhase.run(context, classTexts);
            DescriptionsPhase.Descriptions descriptions = DescriptionsPhase.run(context, labels, latteInputs);
            context.addNote("image and group descriptions: " + descriptions.provider());
            TrainPhase.Texts texts = new TrainPhase.Texts(classTexts,
                    clip.embedTexts(firstLines(descriptions.imageDescriptions())),
                    clip.embedTexts(firstLines(descriptions.groupDescriptions())));
            TrainPhase training = new TrainPhase(images, settings, context.seed());
            Checkpoint trained = context.phase(TrainPhase.ID,
                    phase -> training.train(phase, labels, descriptions, texts));
            Map<String, Tensor> encoder = new LinkedHashMap<>();
            trained.tensors().forEach((name, tensor) -> {
                if (name.startsWith(TrainPhase.ENCODER)) {
                    encoder.put(name.substring(TrainPhase.ENCODER.length()), tensor);
                }
            });
            AdaptedEncoder.save(context.store().directory(), encoder);
            context.putMetric("latte.skipped_steps", Integer.parseInt(trained.value(TrainPhase.SKIPPED)
                    .orElseThrow()));
            context.putMetric("latte.logit_scale", Double.parseDouble(trained.value(TrainPhase.LOGIT_SCALE)
                    .orElseThrow()));
            context.useAdaptedEmbeddings(new AdaptedEmbeddings(trained.tensor(TrainPhase.TARGET_EMBEDDINGS).rows(),
                    Optional.ofNullable(trained.tensors().get(TrainPhase.TEST_EMBEDDINGS)).map(Tensor::rows)));
            return new CosineHead(trained.tensor(TrainPhase.BANK).rows(), LatteMath.PROTOTYPE_SCALE);
        }
    }

    /** §3.3: only the first line of a description is tokenized. */
    private static List<String> firstLines(List<String> descriptions) {
        return descriptions.stream().map(text -> text.lines().findFirst().orElse("")).toList();
    }
}
