package org.clipwb.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The two checkpoint layouts a CLIP model folder can have, and how each names the tensors of {@link ClipModel}.
 * Both carry the BPE vocabulary as {@code vocab.json} + {@code merges.txt}.
 */
public enum CheckpointLayout {
    /**
     * Hugging Face transformers: {@code config.json}, {@code model.safetensors} or {@code pytorch_model.bin},
     * {@code preprocessor_config.json}.
     */
    HUGGING_FACE("Hugging Face", "config.json", "model.safetensors", "pytorch_model.bin"),
    /**
     * open_clip: {@code open_clip_config.json}, {@code open_clip_model.safetensors} or
     * {@code open_clip_pytorch_model.bin}; OpenAI state-dict names.
     */
    OPEN_CLIP("open_clip", "open_clip_config.json", "open_clip_model.safetensors", "open_clip_pytorch_model.bin");

    /** The byte-level BPE tokenizer files that every CLIP checkpoint folder needs, whatever its layout. */
    public static final List<String> TOKENIZER_FILES = List.of("vocab.json", "merges.txt");

    /**
     * The image preprocessing file of the Hugging Face layout; optional when loading (OpenAI's preprocessing at the
     * model's image size stands in for it), always written when saving.
     */
    public static final String HUGGING_FACE_PREPROCESSOR_FILE = "preprocessor_config.json";

    private static final Pattern LAYER = Pattern.compile("(visual\\.)?transformer\\.resblocks\\.(\\d+)\\.(.+)");

    private final String displayName;
    private final String configFile;
    private final String weightsFile;
    private final String pickleWeightsFile;

    CheckpointLayout(String displayName, String configFile, String weightsFile, String pickleWeightsFile) {
        this.displayName = displayName;
        this.configFile = configFile;
        this.weightsFile = weightsFile;
        this.pickleWeightsFile = pickleWeightsFile;
    }

    /** The layout's name for people, for example "Hugging Face". */
    public String displayName() {
        return displayName;
    }

    /** The architecture file, for example {@code config.json}. */
    public String configFile() {
        return configFile;
    }

    /** The safetensors weights file, for example {@code model.safetensors}: the one the workbench writes. */
    public String weightsFile() {
        return weightsFile;
    }

    /**
     * The weights files this layout can load, in order of preference: safetensors first, then PyTorch's pickle
     * checkpoint (for example {@code pytorch_model.bin}), which many hub repositories still ship instead.
     */
    public List<String> weightsFiles() {
        return List.of(weightsFile, pickleWeightsFile);
    }

    /**
     * Every file of a checkpoint of this layout as the workbench writes it: configuration, safetensors weights and the
     * tokenizer files. When loading, the pickle weights file may stand in for the safetensors one.
     */
    public List<String> requiredFiles() {
        return Stream.concat(Stream.of(configFile, weightsFile), TOKENIZER_FILES.stream()).toList();
    }

    /**
     * What {@code folder} lacks to load in this layout, one entry per missing file, or "a or b" for a missing choice
     * of weights files (none when the folder is a complete checkpoint of this layout).
     */
    public List<String> missingFiles(Path folder) {
        return Stream.concat(Stream.of(List.of(configFile), weightsFiles()), TOKENIZER_FILES.stream().map(List::of))
                .filter(choices -> choices.stream().noneMatch(file -> Files.isRegularFile(folder.resolve(file))))
                .map(choices -> String.join(" or ", choices)).toList();
    }

    /** The weights file that loading {@code folder} reads: the first of {@link #weightsFiles()} that is there. */
    public Optional<Path> weightsFileIn(Path folder) {
        return weightsFiles().stream().map(folder::resolve).filter(Files::isRegularFile).findFirst();
    }

    /**
     * The layout of a checkpoint folder; Hugging Face wins when a folder holds both. Fails with a message that names
     * the folder and the missing files when the folder is not a complete checkpoint.
     */
    public static CheckpointLayout detect(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("model folder " + folder.toAbsolutePath() + " does not exist or is not a folder");
        }
        for (CheckpointLayout layout : values()) {
            if (layout.missingFiles(folder).isEmpty()) {
                return layout;
            }
        }
        for (CheckpointLayout layout : values()) {
            if (Files.isRegularFile(folder.resolve(layout.configFile)) && layout.weightsFileIn(folder).isPresent()) {
                throw new IOException("folder " + folder.toAbsolutePath() + " holds a checkpoint in the "
                        + layout.displayName + " layout but lacks " + String.join(" and ", layout.missingFiles(folder))
                        + ": a CLIP checkpoint also needs vocab.json and merges.txt (its tokenizer)");
            }
        }
        List<String> missing = Arrays.stream(values()).flatMap(layout -> layout.missingFiles(folder).stream())
                .distinct().toList();
        throw new IOException("folder " + folder.toAbsolutePath() + " has neither " + HUGGING_FACE.pairText() + " ("
                + HUGGING_FACE.displayName + ") nor " + OPEN_CLIP.pairText() + " (" + OPEN_CLIP.displayName
                + "); also needs vocab.json and merges.txt. Missing there: " + String.join(", ", missing));
    }

    private String pairText() {
        return configFile + "+" + String.join(" or ", weightsFiles());
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
