package org.clipwb.core.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.images.TrainableWeights;
import org.clipwb.core.model.ClipModel;
import org.clipwb.core.model.SafetensorsFile;
import org.clipwb.core.model.SafetensorsWriter;

/**
 * The encoder weights a run fine-tuned (CoFT's Phase II: the image tower; FLYP: both towers and the logit scale),
 * kept in the run's folder as {@value #FILE}: its weights under their canonical names ({@code visual.transformer.resblocks.3.attn.in_proj_weight}) plus any module a CLIP
 * checkpoint has no place for (visual prompts, an adapter) under names outside the model's. {@link RunExport} writes
 * the model with these weights, so that an exported run classifies with the encoder it trained.
 */
public final class AdaptedEncoder {
    /** The file in a run's folder. */
    public static final String FILE = "adapted-encoder.safetensors";

    private AdaptedEncoder() {
    }

    /** Writes the weights into the run's folder, atomically. */
    public static void save(Path runDirectory, Map<String, Tensor> weights) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = new TreeMap<>();
            weights.forEach((name, tensor) -> arrays.put(name, tensor.toArray(manager)));
            SafetensorsWriter.write(runDirectory.resolve(FILE), arrays, Map.of("format", "pt"));
        }
    }

    /** The weights a run saved, when it fine-tuned its encoder. */
    public static Optional<Map<String, Tensor>> load(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        try (SafetensorsFile safetensors = SafetensorsFile.open(file); NDManager manager = NDManager.newBaseManager()) {
            for (String name : safetensors.tensors().keySet()) {
                NDArray array = safetensors.read(name, manager);
                weights.put(name, new Tensor(array.toFloatArray(), array.getShape().getShape()));
            }
        }
        return Optional.of(weights);
    }

    /**
     * Overwrites {@code model}'s weights with the saved ones.
     *
     * @throws IOException when the encoder holds modules the model has no place for, or a shape differs
     */
    public static void applyTo(ClipModel model, Map<String, Tensor> weights) throws IOException {
        for (Map.Entry<String, Tensor> entry : weights.entrySet()) {
            var parameter = model.namedParameters().get(entry.getKey());
            if (parameter == null) {
                throw new IOException("the run's fine-tuned encoder has " + entry.getKey() + ", which a CLIP checkpoint "
                        + "has no place for (visual prompts or an adapter kept into Phase II); such a run can be "
                        + "used in the workbench but not exported as a model");
            }
            NDArray array = parameter.getArray();
            if (array.getShape().size() != entry.getValue().values().length) {
                throw new IOException("the run's fine-tuned " + entry.getKey() + " has " + entry.getValue().values().length
                        + " values; the model's has shape " + array.getShape());
            }
            TrainableWeights.assign(array, entry.getValue().values());
        }
    }
}
