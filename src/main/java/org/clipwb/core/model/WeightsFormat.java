package org.clipwb.core.model;

import java.nio.file.Path;

/** The file formats CLIP weights load from. */
public enum WeightsFormat {
    /** Hugging Face's safetensors: a JSON header and raw tensors; what the workbench writes. */
    SAFETENSORS("safetensors"),
    /** What {@code torch.save} writes ({@code pytorch_model.bin}): a pickle and raw storages. */
    PYTORCH_PICKLE("PyTorch pickle");

    private final String displayName;

    WeightsFormat(String displayName) {
        this.displayName = displayName;
    }

    /** The format's name for people, for example "PyTorch pickle". */
    public String displayName() {
        return displayName;
    }

    /** The format of a weights file by its name: {@code *.safetensors}, else PyTorch's ({@code .bin}, {@code .pt}). */
    public static WeightsFormat of(Path file) {
        return file.getFileName().toString().endsWith(".safetensors") ? SAFETENSORS : PYTORCH_PICKLE;
    }
}
