package org.clipwb.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two checkpoint layouts a CLIP model folder can have, and how each names the tensors of {@link ClipModel}.
 * Both carry the BPE vocabulary as {@code vocab.json} + {@code merges.txt}.
 */
public enum CheckpointLayout {
    /** Hugging Face transformers: {@code config.json}, {@code model.safetensors}, {@code preprocessor_config.json}. */
    HUGGING_FACE("config.json", "model.safetensors"),
    /** open_clip: {@code open_clip_config.json}, {@code open_clip_model.safetensors}; OpenAI state-dict names. */
    OPEN_CLIP("open_clip_config.json", "open_clip_model.safetensors");

    /** Files both layouts need for the tokenizer. */
    public static final List<String> TOKENIZER_FILES = List.of("vocab.json", "merges.txt");

    private static final Pattern LAYER = Pattern.compile("(visual\\.)?transformer\\.resblocks\\.(\\d+)\\.(.+)");

    private final String configFile;
    private final String weightsFile;

    CheckpointLayout(String configFile, String weightsFile) {
        this.configFile = configFile;
        this.weightsFile = weightsFile;
    }

    /** The architecture file. */
    public String configFile() {
        return configFile;
    }

    /** The safetensors weights file. */
    public String weightsFile() {
        return weightsFile;
    }

    /** Which layout a folder holds; a clear error says what is missing when it holds neither completely. */
    public static CheckpointLayout detect(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("Model folder " + dir + " does not exist or is not a folder");
        }
        for (CheckpointLayout layout : values()) {
            if (Files.isRegularFile(dir.resolve(layout.configFile))
                    && Files.isRegularFile(dir.resolve(layout.weightsFile))) {
                for (String file : TOKENIZER_FILES) {
                    if (!Files.isRegularFile(dir.resolve(file))) {
                        throw new IOException("Model folder " + dir + " has no " + file
                                + ": the tokenizer needs vocab.json and merges.txt beside the weights");
                    }
                }
                return layout;
            }
        }
        throw new IOException("Model folder " + dir + " holds no CLIP checkpoint: it needs either config.json + "
                + "model.safetensors (Hugging Face layout) or open_clip_config.json + open_clip_model.safetensors "
                + "(open_clip layout), plus vocab.json and merges.txt");
    }

    /** Where the tensor of a canonical parameter comes from in this layout. */
    TensorSource source(String canonicalName) {
        return this == OPEN_CLIP ? TensorSource.single(canonicalName) : huggingFaceSource(canonicalName);
    }

    private static TensorSource huggingFaceSource(String name) {
        Matcher layer = LAYER.matcher(name);
        if (layer.matches()) {
            String prefix = (layer.group(1) != null ? "vision_model" : "text_model") + ".encoder.layers."
                    + layer.group(2) + ".";
            return huggingFaceLayerSource(prefix, layer.group(3));
        }
        switch (name) {
            case "token_embedding.weight":
                return TensorSource.single("text_model.embeddings.token_embedding.weight");
            case "positional_embedding":
                return TensorSource.single("text_model.embeddings.position_embedding.weight");
            case "ln_final.weight":
                return TensorSource.single("text_model.final_layer_norm.weight");
            case "ln_final.bias":
                return TensorSource.single("text_model.final_layer_norm.bias");
            case "text_projection":
                return TensorSource.transposed("text_projection.weight");
            case "visual.class_embedding":
                return TensorSource.single("vision_model.embeddings.class_embedding");
            case "visual.conv1.weight":
                return TensorSource.single("vision_model.embeddings.patch_embedding.weight");
            case "visual.positional_embedding":
                return TensorSource.single("vision_model.embeddings.position_embedding.weight");
            case "visual.ln_pre.weight":
                return TensorSource.single("vision_model.pre_layrnorm.weight"); // sic: transformers' spelling
            case "visual.ln_pre.bias":
                return TensorSource.single("vision_model.pre_layrnorm.bias");
            case "visual.ln_post.weight":
                return TensorSource.single("vision_model.post_layernorm.weight");
            case "visual.ln_post.bias":
                return TensorSource.single("vision_model.post_layernorm.bias");
            case "visual.proj":
                return TensorSource.transposed("visual_projection.weight");
            case "logit_scale":
                return TensorSource.single("logit_scale");
            default:
                throw new IllegalArgumentException("no Hugging Face name for CLIP parameter " + name);
        }
    }

    private static TensorSource huggingFaceLayerSource(String prefix, String suffix) {
        switch (suffix) {
            case "ln_1.weight":
                return TensorSource.single(prefix + "layer_norm1.weight");
            case "ln_1.bias":
                return TensorSource.single(prefix + "layer_norm1.bias");
            case "ln_2.weight":
                return TensorSource.single(prefix + "layer_norm2.weight");
            case "ln_2.bias":
                return TensorSource.single(prefix + "layer_norm2.bias");
            case "attn.in_proj_weight":
                return TensorSource.stacked(prefix + "self_attn.q_proj.weight", prefix + "self_attn.k_proj.weight",
                        prefix + "self_attn.v_proj.weight");
            case "attn.in_proj_bias":
                return TensorSource.stacked(prefix + "self_attn.q_proj.bias", prefix + "self_attn.k_proj.bias",
                        prefix + "self_attn.v_proj.bias");
            case "attn.out_proj.weight":
                return TensorSource.single(prefix + "self_attn.out_proj.weight");
            case "attn.out_proj.bias":
                return TensorSource.single(prefix + "self_attn.out_proj.bias");
            case "mlp.c_fc.weight":
                return TensorSource.single(prefix + "mlp.fc1.weight");
            case "mlp.c_fc.bias":
                return TensorSource.single(prefix + "mlp.fc1.bias");
            case "mlp.c_proj.weight":
                return TensorSource.single(prefix + "mlp.fc2.weight");
            case "mlp.c_proj.bias":
                return TensorSource.single(prefix + "mlp.fc2.bias");
            default:
                throw new IllegalArgumentException("no Hugging Face name for CLIP layer parameter " + suffix);
        }
    }

    /**
     * The stored tensors behind one canonical parameter: a single tensor, a transposed one (transformers keeps
     * projections as [out, in] linear weights, OpenAI as [in, out] matrices), or several stacked along the first
     * axis (transformers keeps q, k and v apart; OpenAI fuses them).
     */
    record TensorSource(List<String> names, boolean transpose) {
        static TensorSource single(String name) {
            return new TensorSource(List.of(name), false);
        }

        static TensorSource transposed(String name) {
            return new TensorSource(List.of(name), true);
        }

        static TensorSource stacked(String... names) {
            return new TensorSource(List.of(names), false);
        }
    }
}
