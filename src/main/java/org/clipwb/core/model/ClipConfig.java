package org.clipwb.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clipwb.core.image.PreprocessConfig;
import org.clipwb.core.util.AtomicFiles;

/**
 * Architecture of a CLIP model: a ViT image tower and a causal text transformer joined in an embedding space.
 * Read from either checkpoint layout; every dimension of every weight follows from it.
 */
public record ClipConfig(int embedDim, VisionConfig vision, TextConfig text) {

    /** LayerNorm epsilon of every CLIP checkpoint we support (PyTorch's default). */
    public static final float LAYER_NORM_EPS = 1e-5f;

    /** Image tower: input size, patch size and transformer shape. */
    public record VisionConfig(int imageSize, int patchSize, int width, int layers, int heads, int mlpWidth,
            ActivationKind activation) {
        public VisionConfig {
            positive("vision image size", imageSize);
            positive("vision patch size", patchSize);
            if (imageSize % patchSize != 0) {
                throw new IllegalArgumentException("vision image size " + imageSize
                        + " is not a multiple of the patch size " + patchSize);
            }
            checkTransformer("vision", width, layers, heads, mlpWidth);
        }

        /** Patches per side. */
        public int grid() {
            return imageSize / patchSize;
        }

        /** Sequence length: one class token plus one token per patch. */
        public int tokens() {
            return grid() * grid() + 1;
        }
    }

    /** Text tower: context length, vocabulary and transformer shape. */
    public record TextConfig(int contextLength, int vocabSize, int width, int layers, int heads, int mlpWidth,
            ActivationKind activation) {
        public TextConfig {
            positive("text context length", contextLength);
            positive("text vocabulary size", vocabSize);
            checkTransformer("text", width, layers, heads, mlpWidth);
        }
    }

    public ClipConfig {
        positive("embedding dimension", embedDim);
    }

    /** Names of the architectures of OpenAI's released checkpoints, accepted by {@link #preset(String)}. */
    public static final java.util.List<String> PRESETS = java.util.List.of("ViT-B-32", "ViT-B-16", "ViT-L-14");

    /**
     * The architecture of one of OpenAI's released CLIP models (methods.md §1.1.1): for random-weight benchmarks
     * and as starting points for training.
     */
    public static ClipConfig preset(String name) {
        TextConfig base = new TextConfig(77, 49408, 512, 12, 8, 2048, ActivationKind.QUICK_GELU);
        switch (name) {
            case "ViT-B-32":
                return new ClipConfig(512, new VisionConfig(224, 32, 768, 12, 12, 3072, ActivationKind.QUICK_GELU),
                        base);
            case "ViT-B-16":
                return new ClipConfig(512, new VisionConfig(224, 16, 768, 12, 12, 3072, ActivationKind.QUICK_GELU),
                        base);
            case "ViT-L-14":
                return new ClipConfig(768, new VisionConfig(224, 14, 1024, 24, 16, 4096, ActivationKind.QUICK_GELU),
                        new TextConfig(77, 49408, 768, 12, 12, 3072, ActivationKind.QUICK_GELU));
            default:
                throw new IllegalArgumentException("unknown architecture \"" + name + "\" (known: "
                        + String.join(", ", PRESETS) + ")");
        }
    }

    /** Reads a Hugging Face transformers {@code config.json} (model_type "clip"). */
    public static ClipConfig fromHuggingFace(Path configJson) throws IOException {
        JsonNode root = readJson(configJson);
        try {
            JsonNode t = section(root, "text_config");
            JsonNode v = section(root, "vision_config");
            // Defaults are those of transformers' CLIPTextConfig / CLIPVisionConfig, used when a key is omitted.
            int textWidth = intOr(t, "hidden_size", 512);
            int visionWidth = intOr(v, "hidden_size", 768);
            TextConfig text = new TextConfig(intOr(t, "max_position_embeddings", 77), intOr(t, "vocab_size", 49408),
                    textWidth, intOr(t, "num_hidden_layers", 12), intOr(t, "num_attention_heads", 8),
                    intOr(t, "intermediate_size", 4 * textWidth),
                    ActivationKind.fromHuggingFace(t.path("hidden_act").asText("quick_gelu")));
            VisionConfig vision = new VisionConfig(intOr(v, "image_size", 224), intOr(v, "patch_size", 32),
                    visionWidth, intOr(v, "num_hidden_layers", 12), intOr(v, "num_attention_heads", 12),
                    intOr(v, "intermediate_size", 4 * visionWidth),
                    ActivationKind.fromHuggingFace(v.path("hidden_act").asText("quick_gelu")));
            return new ClipConfig(intOr(root, "projection_dim", 512), vision, text);
        } catch (IllegalArgumentException e) {
            throw new IOException(configJson + ": " + e.getMessage(), e);
        }
    }

    /** Reads an open_clip {@code open_clip_config.json} (its {@code model_cfg} section). */
    public static ClipConfig fromOpenClip(Path openClipConfigJson) throws IOException {
        JsonNode root = readJson(openClipConfigJson);
        try {
            JsonNode m = root.has("model_cfg") ? root.get("model_cfg") : root;
            ActivationKind act = m.path("quick_gelu").asBoolean(false) ? ActivationKind.QUICK_GELU
                    : ActivationKind.GELU;
            JsonNode v = m.path("vision_cfg");
            JsonNode t = m.path("text_cfg");
            requireKey(m, "embed_dim");
            int visionWidth = intOr(v, "width", 768);
            int headWidth = intOr(v, "head_width", 64);
            double visionMlpRatio = v.path("mlp_ratio").asDouble(4.0);
            int textWidth = intOr(t, "width", 512);
            double textMlpRatio = t.path("mlp_ratio").asDouble(4.0);
            VisionConfig vision = new VisionConfig(intOr(v, "image_size", 224), intOr(v, "patch_size", 16),
                    visionWidth, intOr(v, "layers", 12), visionWidth / headWidth,
                    (int) Math.round(visionWidth * visionMlpRatio), act);
            TextConfig text = new TextConfig(intOr(t, "context_length", 77), intOr(t, "vocab_size", 49408), textWidth,
                    intOr(t, "layers", 12), intOr(t, "heads", 8), (int) Math.round(textWidth * textMlpRatio), act);
            return new ClipConfig(m.get("embed_dim").asInt(), vision, text);
        } catch (IllegalArgumentException e) {
            throw new IOException(openClipConfigJson + ": " + e.getMessage(), e);
        }
    }

    /** Writes this configuration as an open_clip {@code open_clip_config.json}, atomically. */
    public void writeOpenClip(Path file, PreprocessConfig preprocessing) throws IOException {
        if (vision.activation() != text.activation()) {
            throw new IllegalStateException("open_clip configs have one activation for both towers");
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ObjectNode model = root.putObject("model_cfg");
        model.put("embed_dim", embedDim);
        model.put("quick_gelu", vision.activation() == ActivationKind.QUICK_GELU);
        ObjectNode v = model.putObject("vision_cfg");
        v.put("image_size", vision.imageSize());
        v.put("layers", vision.layers());
        v.put("width", vision.width());
        v.put("head_width", vision.width() / vision.heads());
        v.put("mlp_ratio", (double) vision.mlpWidth() / vision.width());
        v.put("patch_size", vision.patchSize());
        ObjectNode t = model.putObject("text_cfg");
        t.put("context_length", text.contextLength());
        t.put("vocab_size", text.vocabSize());
        t.put("width", text.width());
        t.put("heads", text.heads());
        t.put("layers", text.layers());
        t.put("mlp_ratio", (double) text.mlpWidth() / text.width());
        ObjectNode preprocess = root.putObject("preprocess_cfg");
        ArrayNode meanNode = preprocess.putArray("mean");
        ArrayNode stdNode = preprocess.putArray("std");
        for (int c = 0; c < 3; c++) {
            meanNode.add(preprocessing.mean()[c]);
            stdNode.add(preprocessing.std()[c]);
        }
        preprocess.put("interpolation", "bicubic");
        preprocess.put("resize_mode", "shortest");
        AtomicFiles.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    /**
     * Writes this configuration as a Hugging Face transformers {@code config.json} ({@code CLIPModel}), atomically.
     * {@link #fromHuggingFace} reads it back to an equal configuration.
     *
     * @param endOfTextId the vocabulary id of {@code <|endoftext|>}, written as the text tower's
     *                    {@code eos_token_id}: transformers pools the text features at it
     */
    public void writeHuggingFace(Path file, int endOfTextId) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.putArray("architectures").add("CLIPModel");
        root.put("model_type", "clip");
        root.put("projection_dim", embedDim);
        root.put("logit_scale_init_value", ClipModel.INITIAL_LOGIT_SCALE);
        root.put("torch_dtype", "float32");
        ObjectNode t = root.putObject("text_config");
        t.put("model_type", "clip_text_model");
        putTransformer(t, text.width(), text.mlpWidth(), text.layers(), text.heads(), text.activation());
        t.put("max_position_embeddings", text.contextLength());
        t.put("vocab_size", text.vocabSize());
        t.put("projection_dim", embedDim);
        t.put("eos_token_id", endOfTextId);
        ObjectNode v = root.putObject("vision_config");
        v.put("model_type", "clip_vision_model");
        putTransformer(v, vision.width(), vision.mlpWidth(), vision.layers(), vision.heads(), vision.activation());
        v.put("image_size", vision.imageSize());
        v.put("patch_size", vision.patchSize());
        v.put("num_channels", 3);
        v.put("projection_dim", embedDim);
        AtomicFiles.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    private static void putTransformer(ObjectNode tower, int width, int mlpWidth, int layers, int heads,
            ActivationKind activation) {
        tower.put("hidden_size", width);
        tower.put("intermediate_size", mlpWidth);
        tower.put("num_hidden_layers", layers);
        tower.put("num_attention_heads", heads);
        tower.put("hidden_act", activation.huggingFaceName());
        tower.put("layer_norm_eps", LAYER_NORM_EPS);
    }

    private static JsonNode readJson(Path file) throws IOException {
        try {
            JsonNode node = new ObjectMapper().readTree(Files.readAllBytes(file));
            if (node == null || !node.isObject()) {
                throw new IOException(file + ": expected a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON (line " + e.getLocation().getLineNr() + "): "
                    + e.getOriginalMessage(), e);
        }
    }

    /** transformers writes the towers as text_config, or as text_config_dict in older files. */
    private static JsonNode section(JsonNode root, String name) {
        JsonNode node = root.path(name);
        if (node.isMissingNode() || node.isNull()) {
            node = root.path(name + "_dict");
        }
        return node;
    }

    private static void requireKey(JsonNode node, String key) {
        if (!node.has(key)) {
            throw new IllegalArgumentException("missing key \"" + key + "\"");
        }
    }

    private static int intOr(JsonNode node, String key, int fallback) {
        JsonNode value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + key + "\" must be an integer, found " + value);
        }
        return value.asInt();
    }

    private static void positive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, found " + value);
        }
    }

    private static void checkTransformer(String tower, int width, int layers, int heads, int mlpWidth) {
        positive(tower + " width", width);
        positive(tower + " layers", layers);
        positive(tower + " heads", heads);
        positive(tower + " MLP width", mlpWidth);
        if (width % heads != 0) {
            throw new IllegalArgumentException(tower + " width " + width + " is not divisible by " + heads + " heads");
        }
    }
}
