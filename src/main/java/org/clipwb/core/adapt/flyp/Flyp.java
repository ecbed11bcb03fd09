package org.clipwb.core.adapt.flyp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethod;
import org.clipwb.core.adapt.AdaptedEmbeddings;
import org.clipwb.core.adapt.AdaptedEncoder;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.MethodInfo.PhaseInfo;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.images.DecodedImages;
import org.clipwb.core.adapt.images.TrainingImages;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.zeroshot.PromptTemplates;

/**
 * FLYP, "Finetune Like You Pretrain" (Goyal, Kumar, Garg, Kolter, Raghunathan, CVPR 2023), as LatteCLIP runs it
 * without labels (methods.md §1.6): every target image captioned with the template of its zero-shot pseudo-label,
 * the whole CLIP, image and text towers, fine-tuned with CLIP's symmetric contrastive loss, and the zero-shot
 * classifier rebuilt from the templates with the fine-tuned text tower. The fine-tuned weights are kept in the run
 * folder ({@link AdaptedEncoder}), so an exported run carries both towers.
 */
public final class Flyp implements AdaptationMethod {
    static final String FINE_TUNE = "finetune";

    private static final MethodInfo INFO = new MethodInfo("flyp",
            "FLYP: full fine-tuning of both towers with CLIP's contrastive loss on pseudo-label captions",
            "Goyal, Kumar, Garg, Kolter, Raghunathan. Finetune like you pretrain: improved finetuning of zero-shot "
                    + "vision models. CVPR 2023 (locuslab/FLYP); on pseudo-labels as in LatteCLIP's baseline, "
                    + "methods.md §1.6",
            List.of(PseudoLabelPhase.INFO, new PhaseInfo(FINE_TUNE, "Contrastive fine-tuning",
                    "Image and text encoders trained with CLIP's loss on (image, caption of its pseudo-label); the "
                            + "zero-shot classifier rebuilt with the fine-tuned text encoder")),
            FlypSettings.all());

    @Override
    public MethodInfo info() {
        return INFO;
    }

    @Override
    public ClassifierHead adapt(RunContext context) throws IOException {
        AdaptationData data = context.data();
        ImageSource source = data.requireImages("flyp fine-tunes both encoders");
        PromptTemplates templates = data.templates().orElseThrow(() -> new IllegalStateException("flyp captions "
                + "images with the run's templates and rebuilds the classifier from them, and the data has none "
                + "(AdaptationData.withTemplates)"));
        if (data.test().isPresent() && source.testRoot().isEmpty()) {
            throw new IllegalArgumentException("the data has a test set but the image source no test folder: FLYP "
                    + "classifies test images with its fine-tuned encoder and needs their files");
        }
        Settings settings = context.settings();
        PseudoLabels labels = PseudoLabelPhase.run(context);
        context.putMetric("flyp.trained_images", labels.selected().length);
        double precision = labels.selectedAccuracy(data.target().labels());
        if (!Double.isNaN(precision)) {
            context.putMetric("flyp.pseudo_label_precision", precision);
        }
        if (data.shots().size() > 0) {
            context.addNote("labeled shots are not used by FLYP: it trains on the zero-shot pseudo-labels (§1.6)");
        }
        List<Path> targetFiles = data.target().keys().stream().map(source::targetFile).toList();
        Optional<List<Path>> testFiles = data.test().map(set -> set.keys().stream().map(source::testFile).toList());
        long budget = settings.integer(FlypSettings.MEMORY_MB) == 0 ? DecodedImages.DEFAULT_BUDGET_BYTES
                : settings.integer(FlypSettings.MEMORY_MB) * (1L << 20);
        try (TrainingImages images = new TrainingImages(source.clip(), targetFiles, testFiles, budget,
                settings.integer(FlypSettings.BATCH_SIZE))) {
            FlypTraining training = new FlypTraining(images, data, templates, settings, context.seed());
            Checkpoint tuned = context.phase(FINE_TUNE, phase -> training.train(phase, 1, labels));
            AdaptedEncoder.save(context.store().directory(), FlypTraining.unprefixed(tuned, FlypTraining.WEIGHTS));
            context.putMetric("flyp.skipped_steps", Integer.parseInt(tuned.value(FlypTraining.SKIPPED).orElse("0")));
            float scale = Float.parseFloat(tuned.value("scale").orElseThrow());
            context.putMetric("flyp.logit_scale", scale);
            context.useAdaptedEmbeddings(new AdaptedEmbeddings(tuned.tensor("target_embeddings").rows(),
                    Optional.ofNullable(tuned.tensors().get("test_embeddings")).map(Tensor::rows)));
            return new CosineHead(tuned.tensor("class_weights").rows(), scale);
        }
    }
}
