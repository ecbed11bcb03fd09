package org.clipwb.app.training;

import java.util.Locale;
import java.util.Set;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.model.ClipConfig;

/**
 * A rough estimate of the memory a training run needs on its device, so that a user sees before starting whether a
 * GPU (or the machine) is big enough. Counted: the model's weights; for methods that fine-tune the image encoder, its
 * gradients and two AdamW moments and the activations a batch keeps for the backward pass; for methods on cached
 * embeddings, the embeddings and probabilities of the images. Allocator overhead is not modelled: expect ±50%.
 */
final class MemoryEstimate {
    /** The engine's methods that train the image encoder on images (docs/adaptation.md); the others train on embeddings. */
    private static final Set<String> ENCODER_METHODS = Set.of("coft", "coft+");
    /** Floats an encoder layer keeps per token and channel for the backward pass (attention, MLP ×4, norms). */
    private static final int ACTIVATION_FLOATS_PER_TOKEN_CHANNEL = 16;
    private static final double MIB = 1024 * 1024;

    private MemoryEstimate() {
    }

    /** Whether the method trains the image encoder on the images rather than a head on their embeddings. */
    static boolean trainsEncoder(MethodInfo method) {
        return ENCODER_METHODS.contains(method.id());
    }

    /** The estimate in bytes. */
    static long bytes(MethodInfo method, Settings settings, ClipConfig model, int images) {
        long weights = 4L * parameters(model);
        if (!trainsEncoder(method)) {
            long perImage = 4L * (model.embedDim() + 64);
            return weights + (long) images * perImage * 3;
        }
        long visual = 4L * visualParameters(model.vision());
        int batch = largestBatch(settings);
        long activations = (long) batch * model.vision().tokens() * model.vision().width() * model.vision().layers()
                * ACTIVATION_FLOATS_PER_TOKEN_CHANNEL * 4L;
        // Two models in Phase I (CoFT's collaborating pair), weights, gradients and two moments of the fine-tuned encoder.
        return 2 * weights + 3 * visual + activations;
    }

    /** The estimate in words, e.g. "about 1.2 GiB on the GPU". */
    static String describe(MethodInfo method, Settings settings, ClipConfig model, int images, String device) {
        double mib = bytes(method, settings, model, images) / MIB;
        String amount = mib >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", mib / 1024)
                : String.format(Locale.ROOT, "%.0f MiB", Math.max(1, mib));
        return "about " + amount + " on the " + device + (trainsEncoder(method) ? " (fine-tunes the image encoder)"
                : " (trains on cached embeddings)");
    }

    private static int largestBatch(Settings settings) {
        int batch = 1;
        for (Setting setting : settings.specs()) {
            if (setting.kind() == Setting.Kind.INTEGER && setting.key().endsWith("batch-size")) {
                batch = Math.max(batch, settings.integer(setting.key()));
            }
        }
        return batch;
    }

    private static long parameters(ClipConfig model) {
        ClipConfig.TextConfig text = model.text();
        long textParameters = (long) text.layers() * (4L * text.width() * text.width() + 2L * text.width()
                * text.mlpWidth()) + (long) text.vocabSize() * text.width();
        return visualParameters(model.vision()) + textParameters;
    }

    private static long visualParameters(ClipConfig.VisionConfig vision) {
        long patch = 3L * vision.patchSize() * vision.patchSize() * vision.width();
        return patch + (long) vision.layers() * (4L * vision.width() * vision.width() + 2L * vision.width()
                * vision.mlpWidth());
    }
}
