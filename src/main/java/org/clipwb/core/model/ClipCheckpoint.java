package org.clipwb.core.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.clipwb.core.image.PreprocessConfig;
import org.clipwb.core.tokenizer.ClipTokenizer;
import org.clipwb.core.tokenizer.VocabularyFiles;

/** Loads CLIP weights from a model folder in either {@link CheckpointLayout} and saves them in either. */
public final class ClipCheckpoint {
    private ClipCheckpoint() {
    }

    /** A loaded model, the weights file it came from and what the loader made of the file. */
    public record Loaded(ClipModel model, CheckpointLayout layout, Path weightsFile, WeightsFormat weightsFormat,
            List<String> ignoredTensors) {
    }

    /** Reads the architecture of a model folder. */
    public static ClipConfig readConfig(Path dir, CheckpointLayout layout) throws IOException {
        Path file = dir.resolve(layout.configFile());
        return layout == CheckpointLayout.HUGGING_FACE ? ClipConfig.fromHuggingFace(file)
                : ClipConfig.fromOpenClip(file);
    }

    /**
     * Builds a {@link ClipModel} from a model folder, its float32 parameters attached to {@code manager}, reading the
     * first of the layout's {@link CheckpointLayout#weightsFiles() weights files} that is there. Tensors of
     * the file that the model does not use (e.g. {@code position_ids} buffers) are ignored and reported; a missing
     * tensor, or one whose shape disagrees with the configuration, is an error naming it.
     */
    public static Loaded load(Path dir, int endOfTextId, NDManager manager) throws IOException {
        return load(dir, endOfTextId, manager, Precision.FP32);
    }

    /** As {@link #load(Path, int, NDManager)}, with the parameters converted to {@code precision}. */
    public static Loaded load(Path dir, int endOfTextId, NDManager manager, Precision precision) throws IOException {
        return read(dir, () -> endOfTextId, precision, name -> true).attach(manager).loaded();
    }

    /**
     * The first half of a {@link #load} that reads only what image embedding needs (the image tower and the logit
     * scale): validates the whole file and reads those values, without an engine, so that it can run while the
     * engine starts. {@link Reading#attach} makes the model; the text tower's weights, 40% of a ViT-B/32 checkpoint,
     * are read by {@link TextTower#load()} when text is first encoded.
     */
    static Reading readImageFirst(Path dir, IntSupplier endOfTextId, Precision precision) throws IOException {
        return read(dir, endOfTextId, precision, ClipModel::neededForImages);
    }

    /** A model whose image tower is loaded, and the text tower still to read into it (null when none is left). */
    record ImageFirst(Loaded loaded, TextTower textTower) {
    }

    /** A checkpoint read and validated, with the values of the parameters to load now, before any engine work. */
    static final class Reading {
        private final Loaded loaded;
        private final Precision precision;
        private final Map<String, List<TensorFile.Values>> values;
        private final List<String> later;
        private final BasicFileAttributes readAt;

        private Reading(Loaded loaded, Precision precision, Map<String, List<TensorFile.Values>> values,
                List<String> later, BasicFileAttributes readAt) {
            this.loaded = loaded;
            this.precision = precision;
            this.values = values;
            this.later = later;
            this.readAt = readAt;
        }

        /** Gives the values read to the model's parameters, owned by {@code manager}, and prepares the model. */
        ImageFirst attach(NDManager manager) {
            ClipModel model = loaded.model();
            setParameters(model, loaded.layout(), values, precision, manager);
            if (later.isEmpty()) {
                model.initialize(manager, 1);
                return new ImageFirst(loaded, null);
            }
            model.initializeImageTower(manager);
            return new ImageFirst(loaded, new TextTower(loaded, precision, manager, later, readAt));
        }
    }

    /**
     * The parameters of a model that {@link #readImageFirst} left unread. They are read from the same weights file,
     * which must not have changed since: a model mixed from two files would give wrong features silently.
     */
    static final class TextTower {
        private final Loaded loaded;
        private final Precision precision;
        private final NDManager manager;
        private final List<String> names;
        private final BasicFileAttributes readAt;

        private TextTower(Loaded loaded, Precision precision, NDManager manager, List<String> names,
                BasicFileAttributes readAt) {
            this.loaded = loaded;
            this.precision = precision;
            this.manager = manager;
            this.names = names;
            this.readAt = readAt;
        }

        /** Reads the remaining parameters and completes the model's initialisation. Not thread-safe; call once. */
        void load() throws IOException {
            Path weights = loaded.weightsFile();
            BasicFileAttributes now = Files.readAttributes(weights, BasicFileAttributes.class);
            if (now.size() != readAt.size() || !now.lastModifiedTime().equals(readAt.lastModifiedTime())
                    || !Objects.equals(now.fileKey(), readAt.fileKey())) {
                throw new IOException(weights + " has changed since the model's image tower was read from it; "
                        + "load the model again to encode text");
            }
            try (TensorFile file = TensorFile.open(weights)) {
                setParameters(loaded.model(), loaded.layout(), readValues(file, loaded.layout(), names), precision,
                        manager);
            }
            loaded.model().initialize(manager, 1);
        }
    }

    private static Reading read(Path dir, IntSupplier endOfTextId, Precision precision, Predicate<String> readNow)
            throws IOException {
        CheckpointLayout layout = CheckpointLayout.detect(dir);
        ClipConfig config = readConfig(dir, layout);
        ClipModel model = new ClipModel(config, endOfTextId);
        Path weights = layout.weightsFileIn(dir).orElseThrow(() -> new IOException(dir + " has no weights file: "
                + String.join(" or ", layout.weightsFiles())));
        BasicFileAttributes readAt = Files.readAttributes(weights, BasicFileAttributes.class);
        try (TensorFile file = TensorFile.open(weights)) {
            validate(file, model, layout);
            List<String> now = new ArrayList<>();
            List<String> later = new ArrayList<>();
            for (String name : model.expectedShapes().keySet()) {
                (readNow.test(name) ? now : later).add(name);
            }
            Set<String> used = new HashSet<>();
            model.expectedShapes().keySet().forEach(name -> used.addAll(layout.source(name).names()));
            List<String> ignored = new ArrayList<>(file.tensors().keySet());
            ignored.removeAll(used);
            Loaded loaded = new Loaded(model, layout, weights, file.format(), List.copyOf(ignored));
            return new Reading(loaded, precision, readValues(file, layout, now), List.copyOf(later), readAt);
        }
    }

    /** The stored values behind each named parameter, read from {@code file}. */
    private static Map<String, List<TensorFile.Values>> readValues(TensorFile file, CheckpointLayout layout,
            List<String> names) throws IOException {
        Map<String, List<TensorFile.Values>> values = new LinkedHashMap<>();
        for (String name : names) {
            List<TensorFile.Values> parts = new ArrayList<>();
            for (String stored : layout.source(name).names()) {
                parts.add(file.readValues(stored));
            }
            values.put(name, parts);
        }
        return values;
    }

    /**
     * Checks from the file's header alone that it holds every tensor the model needs, in a floating-point type and
     * of the shape the configuration requires, so a bad file fails when it is opened, whichever tensors are read.
     */
    private static void validate(TensorFile file, ClipModel model, CheckpointLayout layout) throws IOException {
        Set<String> missing = new TreeSet<>();
        for (String name : model.expectedShapes().keySet()) {
            layout.source(name).names().stream().filter(n -> !file.tensors().containsKey(n)).forEach(missing::add);
        }
        if (!missing.isEmpty()) {
            throw new IOException(file.path() + " lacks " + missing.size() + " tensor(s) that " + layout.configFile()
                    + " requires: " + abbreviate(missing) + " (is it a different model or layout?)");
        }
        for (Map.Entry<String, Shape> entry : model.expectedShapes().entrySet()) {
            CheckpointLayout.TensorSource source = layout.source(entry.getKey());
            List<Shape> parts = new ArrayList<>();
            for (String name : source.names()) {
                TensorFile.Tensor tensor = file.tensors().get(name);
                if (!tensor.dataType().isFloating()) {
                    throw new IOException(file.path() + ": tensor \"" + name + "\" holds "
                            + tensor.dataType().asSafetensors()
                            + " values; CLIP weights are floating point (is the file from another model?)");
                }
                parts.add(tensor.shape());
            }
            Shape shape = shapeOnceRead(parts, source.transpose());
            if (!entry.getValue().equals(shape)) {
                throw new IOException(file.path() + ": tensor " + describe(source) + " has shape "
                        + (shape == null ? parts : shape) + " but " + layout.configFile() + " requires "
                        + entry.getValue() + " (do the weights belong to this config?)");
            }
        }
    }

    /**
     * The shape of stored parts stacked along the first axis and, if {@code transpose}, with the axes reversed, as
     * {@link #toParameter} makes them; null when the parts cannot be stacked.
     */
    private static Shape shapeOnceRead(List<Shape> parts, boolean transpose) {
        long[] dims = parts.get(0).getShape().clone();
        if (parts.size() > 1) {
            for (int i = 1; i < parts.size(); i++) {
                Shape part = parts.get(i);
                if (dims.length == 0 || part.dimension() != dims.length
                        || !part.slice(1).equals(parts.get(0).slice(1))) {
                    return null;
                }
                dims[0] += part.get(0);
            }
        }
        if (transpose) {
            for (int i = 0; i < dims.length / 2; i++) {
                long swap = dims[i];
                dims[i] = dims[dims.length - 1 - i];
                dims[dims.length - 1 - i] = swap;
            }
        }
        return new Shape(dims);
    }

    private static void setParameters(ClipModel model, CheckpointLayout layout,
            Map<String, List<TensorFile.Values>> values, Precision precision, NDManager manager) {
        values.forEach((name, parts) -> model.namedParameters().get(name)
                .setArray(toParameter(parts, layout.source(name).transpose(), precision, manager)));
    }

    private static NDArray toParameter(List<TensorFile.Values> parts, boolean transpose, Precision precision,
            NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            NDList arrays = new NDList();
            for (TensorFile.Values part : parts) {
                arrays.add(part.toArray(scratch).toType(DataType.FLOAT32, false));
            }
            NDArray array = arrays.size() == 1 ? arrays.get(0) : NDArrays.concat(arrays, 0);
            if (transpose) {
                // A copy, not a view: a view would outlive the array that keeps its file buffer alive.
                array = array.transpose().duplicate();
            }
            array = array.toType(precision.dataType(), false);
            // Owned by the model from here on; the other arrays made above go with the scratch manager. A caller's
            // NDScope (text encoded for the first time inside one) must not close it either.
            array.attach(manager);
            NDScope.unregister(array);
            return array;
        }
    }

    /**
     * Saves the parameters in the open_clip layout (canonical names, float32) with its config file, which records
     * the image normalisation of {@code preprocessing}. The tokenizer files are the caller's to copy.
     */
    public static void saveOpenClip(ClipModel model, Path dir, PreprocessConfig preprocessing) throws IOException {
        writeWeights(model, dir, CheckpointLayout.OPEN_CLIP);
        model.config().writeOpenClip(dir.resolve(CheckpointLayout.OPEN_CLIP.configFile()), preprocessing);
    }

    /**
     * Saves the parameters in the Hugging Face transformers layout, float32 whatever the model's precision:
     * {@code model.safetensors} with transformers' tensor names, {@code config.json} and
     * {@code preprocessor_config.json}. Each file is written atomically; the tokenizer files are the caller's to
     * copy. {@link #load} reads the folder back to the same parameters.
     */
    public static void saveHuggingFace(ClipModel model, Path dir, PreprocessConfig preprocessing)
            throws IOException {
        writeWeights(model, dir, CheckpointLayout.HUGGING_FACE);
        model.config().writeHuggingFace(dir.resolve(CheckpointLayout.HUGGING_FACE.configFile()),
                model.endOfTextId());
        preprocessing.writeHuggingFace(dir.resolve(CheckpointLayout.HUGGING_FACE_PREPROCESSOR_FILE));
    }

    /**
     * Writes the parameters under the names of {@code layout}, float32: the inverse of {@link #toParameter}, driven
     * by the same {@link CheckpointLayout#source} table (fused q/k/v split apart, projections transposed back).
     */
    private static void writeWeights(ClipModel model, Path dir, CheckpointLayout layout) throws IOException {
        // The scope closes every array made here (conversions, transposes, splits); the parameters stay.
        try (NDScope scope = new NDScope()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
                CheckpointLayout.TensorSource source = layout.source(entry.getKey());
                NDArray array = entry.getValue().getArray().toType(DataType.FLOAT32, false);
                if (source.transpose()) {
                    array = array.transpose();
                }
                NDList parts = source.names().size() == 1 ? new NDList(array)
                        : array.split(source.names().size(), 0);
                for (int i = 0; i < parts.size(); i++) {
                    tensors.put(source.names().get(i), parts.get(i));
                }
            }
            SafetensorsWriter.write(dir.resolve(layout.weightsFile()), tensors, Map.of("format", "pt"));
        }
    }

    /**
     * Writes a randomly initialised model of the given architecture as an open_clip checkpoint with a byte-level
     * vocabulary and OpenAI's image normalisation: a stand-in with real shapes, for throughput benchmarks.
     */
    public static void writeRandom(ClipConfig config, Path dir, long seed) throws IOException {
        VocabularyFiles.writeByteLevel(dir);
        int endOfText = ClipTokenizer.vocabularyFacts(dir).endOfTextId();
        Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ClipModel model = new ClipModel(config, endOfText);
            model.initialize(manager, 1);
            saveOpenClip(model, dir, PreprocessConfig.openAiDefaults(config.vision().imageSize()));
        }
    }

    private static String describe(CheckpointLayout.TensorSource source) {
        return source.names().size() == 1 ? "\"" + source.names().get(0) + "\"" : source.names().toString();
    }

    private static String abbreviate(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        return list.size() <= 5 ? String.join(", ", list)
                : String.join(", ", list.subList(0, 5)) + " and " + (list.size() - 5) + " more";
    }
}
