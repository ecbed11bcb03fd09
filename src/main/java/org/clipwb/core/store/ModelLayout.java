package org.clipwb.core.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** The two checkpoint layouts a model folder may use; each also needs the CLIP tokenizer files. */
public enum ModelLayout {
    /** Hugging Face transformers: {@code config.json} + {@code model.safetensors}. */
    HF("Hugging Face", "config.json", "model.safetensors"),
    /** open_clip: {@code open_clip_config.json} + {@code open_clip_model.safetensors}. */
    OPEN_CLIP("open_clip", "open_clip_config.json", "open_clip_model.safetensors");

    /** The byte-level BPE tokenizer files that every CLIP checkpoint folder needs, whatever its layout. */
    public static final List<String> TOKENIZER_FILES = List.of("vocab.json", "merges.txt");

    private final String displayName;
    private final String configFile;
    private final String weightsFile;

    ModelLayout(String displayName, String configFile, String weightsFile) {
        this.displayName = displayName;
        this.configFile = configFile;
        this.weightsFile = weightsFile;
    }

    /** The model configuration file name, for example {@code config.json}. */
    public String configFile() {
        return configFile;
    }

    /** The weights file name, for example {@code model.safetensors}. */
    public String weightsFile() {
        return weightsFile;
    }

    /** Every file this layout needs: configuration, weights and the tokenizer files. */
    public List<String> requiredFiles() {
        return Stream.concat(Stream.of(configFile, weightsFile), TOKENIZER_FILES.stream()).toList();
    }

    /** The required files that {@code folder} lacks (none when the folder is a complete checkpoint of this layout). */
    public List<String> missingFiles(Path folder) {
        return requiredFiles().stream().filter(file -> !Files.isRegularFile(folder.resolve(file))).toList();
    }

    /**
     * The layout of a checkpoint folder; Hugging Face wins when a folder holds both. Fails with a message that names
     * the folder and the missing files when the folder is not a complete checkpoint.
     */
    public static ModelLayout detect(Path folder) throws ModelStoreException {
        if (!Files.isDirectory(folder)) {
            throw new ModelStoreException("model folder " + folder.toAbsolutePath()
                    + " does not exist or is not a folder");
        }
        for (ModelLayout layout : values()) {
            if (layout.missingFiles(folder).isEmpty()) {
                return layout;
            }
        }
        for (ModelLayout layout : values()) {
            if (Files.isRegularFile(folder.resolve(layout.configFile))
                    && Files.isRegularFile(folder.resolve(layout.weightsFile))) {
                throw new ModelStoreException("folder " + folder.toAbsolutePath() + " holds a checkpoint in the "
                        + layout.displayName + " layout but lacks " + String.join(" and ", layout.missingFiles(folder))
                        + ": a CLIP checkpoint also needs vocab.json and merges.txt (its tokenizer)");
            }
        }
        List<String> missing = Arrays.stream(values()).flatMap(layout -> layout.missingFiles(folder).stream())
                .distinct().toList();
        throw new ModelStoreException("folder " + folder.toAbsolutePath() + " has neither " + HF.pairText() + " ("
                + HF.displayName + ") nor " + OPEN_CLIP.pairText() + " (" + OPEN_CLIP.displayName
                + "); also needs vocab.json and merges.txt. Missing there: " + String.join(", ", missing));
    }

    private String pairText() {
        return configFile + "+" + weightsFile;
    }
}
