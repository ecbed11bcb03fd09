package org.clipwb.core.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import org.clipwb.core.util.AtomicFiles;

/**
 * CLIP image preprocessing settings: resize so the shortest edge is {@link #shortestEdge()} (bicubic), center crop
 * {@link #cropWidth()} x {@link #cropHeight()} placed by the checkpoint's own {@link CropRule}, then
 * {@code (x / 255 - mean) / std} per channel. Mean and std are float32, as in the reference (torchvision and Hugging
 * Face normalise in float32). Immutable.
 */
public final class PreprocessConfig {
    /**
     * Where a center crop starts, which is where the processors of the two checkpoint layouts disagree on odd
     * margins. Both truncate the resized long edge (see {@link ClipPreprocessor}).
     */
    public enum CropRule {
        /** Hugging Face's {@code CLIPImageProcessor}: {@code (size - crop) // 2}. */
        HUGGING_FACE {
            @Override
            public int offset(int size, int crop) {
                return Math.floorDiv(size - crop, 2);
            }
        },
        /**
         * torchvision's {@code CenterCrop}, used by open_clip and OpenAI's CLIP: {@code int(round((size - crop) / 2.0))},
         * Python's round half to even.
         */
        TORCHVISION {
            @Override
            public int offset(int size, int crop) {
                return (int) Math.rint((size - crop) / 2.0);
            }
        };

        /** The first row or column of a {@code crop}-long window centred in {@code size}. */
        public abstract int offset(int size, int crop);
    }

    private static final float[] OPENAI_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] OPENAI_STD = {0.26862954f, 0.26130258f, 0.27577711f};
    /** Hugging Face's CLIPImageProcessor defaults for keys a preprocessor_config.json leaves out. */
    private static final int HF_DEFAULT_SIZE = 224;
    private static final int PIL_BICUBIC = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int shortestEdge;
    private final int cropWidth;
    private final int cropHeight;
    private final float[] mean;
    private final float[] std;
    private final CropRule cropRule;

    /** Settings from explicit values with Hugging Face's crop rule; see {@link #PreprocessConfig(int, int, int, float[], float[], CropRule)}. */
    public PreprocessConfig(int shortestEdge, int cropWidth, int cropHeight, float[] mean, float[] std) {
        this(shortestEdge, cropWidth, cropHeight, mean, std, CropRule.HUGGING_FACE);
    }

    /**
     * Settings from explicit values.
     *
     * @throws IllegalArgumentException if a size is not positive, the crop is larger than the resized shortest edge
     *     (padding is not supported), mean/std do not have 3 finite values, or a std is not positive
     */
    public PreprocessConfig(int shortestEdge, int cropWidth, int cropHeight, float[] mean, float[] std,
            CropRule cropRule) {
        if (shortestEdge <= 0 || cropWidth <= 0 || cropHeight <= 0) {
            throw new IllegalArgumentException("Sizes must be positive: shortest edge " + shortestEdge + ", crop " + cropWidth
                    + "x" + cropHeight);
        }
        if (cropWidth > shortestEdge || cropHeight > shortestEdge) {
            throw new IllegalArgumentException("Crop " + cropWidth + "x" + cropHeight + " is larger than the resized shortest edge "
                    + shortestEdge + ": the crop would need padding, which is not supported");
        }
        checkChannels("mean", mean, false);
        checkChannels("std", std, true);
        this.shortestEdge = shortestEdge;
        this.cropWidth = cropWidth;
        this.cropHeight = cropHeight;
        this.mean = mean.clone();
        this.std = std.clone();
        this.cropRule = Objects.requireNonNull(cropRule, "cropRule");
    }

    private static void checkChannels(String name, float[] values, boolean positive) {
        if (values == null || values.length != 3) {
            throw new IllegalArgumentException(name + " must have 3 values (R, G, B), got " + Arrays.toString(values));
        }
        for (float v : values) {
            if (!Float.isFinite(v) || positive && v <= 0) {
                throw new IllegalArgumentException(name + " must be finite" + (positive ? " and positive" : "") + ", got "
                        + Arrays.toString(values));
            }
        }
    }

    /**
     * OpenAI CLIP's preprocessing at {@code imageSize} as open_clip and OpenAI's own code run it: resize to it, square
     * crop by torchvision's rule, OpenAI mean/std.
     */
    public static PreprocessConfig openAiDefaults(int imageSize) {
        return new PreprocessConfig(imageSize, imageSize, imageSize, OPENAI_MEAN, OPENAI_STD, CropRule.TORCHVISION);
    }

    /**
     * What Hugging Face's {@code CLIPImageProcessor} does at {@code imageSize} when a model folder has no
     * {@code preprocessor_config.json}: OpenAI's sizes, mean and std with its own crop rule.
     */
    public static PreprocessConfig huggingFaceDefaults(int imageSize) {
        return new PreprocessConfig(imageSize, imageSize, imageSize, OPENAI_MEAN, OPENAI_STD, CropRule.HUGGING_FACE);
    }

    /**
     * Reads a Hugging Face {@code preprocessor_config.json}: {@code size} ({@code {"shortest_edge": n}} or a legacy
     * int), {@code crop_size} ({@code {"height": h, "width": w}} or an int), {@code image_mean}, {@code image_std}.
     * Absent keys take CLIPImageProcessor's defaults (224, 224, OpenAI mean/std). Settings this preprocessing cannot
     * honour (another resample filter, a fixed-size resize, a disabled step) are rejected rather than ignored.
     *
     * @throws IOException if the file cannot be read or is malformed; the message names the file and the key
     *     ({@link java.nio.file.NoSuchFileException} when it is missing)
     */
    public static PreprocessConfig fromHuggingFace(Path preprocessorConfigJson) throws IOException {
        byte[] content = Files.readAllBytes(preprocessorConfigJson);
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new IOException(preprocessorConfigJson + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"), e);
        }
        try {
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("the file must hold a JSON object");
            }
            for (String step : new String[] {"do_resize", "do_center_crop", "do_rescale", "do_normalize"}) {
                JsonNode flag = root.get(step);
                if (flag != null && !flag.asBoolean(true)) {
                    throw new IllegalArgumentException("'" + step + "' is false, but CLIP preprocessing always does this step");
                }
            }
            JsonNode resample = root.get("resample");
            if (resample != null && !(resample.isInt() && resample.intValue() == PIL_BICUBIC)) {
                throw new IllegalArgumentException("'resample' is " + resample + ", but only 3 (bicubic) is supported");
            }
            JsonNode rescale = root.get("rescale_factor");
            if (rescale != null && !(rescale.isNumber() && Math.abs(rescale.doubleValue() - 1.0 / 255) < 1e-12)) {
                throw new IllegalArgumentException("'rescale_factor' is " + rescale + ", but only 1/255 is supported");
            }
            int size = hfShortestEdge(root.get("size"));
            int[] crop = hfCrop(root.get("crop_size"));
            float[] mean = channels(root, "image_mean", OPENAI_MEAN);
            float[] std = channels(root, "image_std", OPENAI_STD);
            return new PreprocessConfig(size, crop[1], crop[0], mean, std);
        } catch (IllegalArgumentException e) {
            throw new IOException(preprocessorConfigJson + ": " + e.getMessage(), e);
        }
    }

    private static int hfShortestEdge(JsonNode size) {
        if (size == null) {
            return HF_DEFAULT_SIZE;
        }
        if (size.isObject()) {
            if (size.has("shortest_edge")) {
                return positiveInt(size.get("shortest_edge"), "size.shortest_edge");
            }
            if (size.has("height") || size.has("width")) {
                throw new IllegalArgumentException("'size' is " + size + ": a fixed-size resize is not supported, CLIP "
                        + "preprocessing resizes the shortest edge ('size.shortest_edge')");
            }
            throw new IllegalArgumentException("'size' is " + size + ", expected {\"shortest_edge\": n} or an integer");
        }
        return positiveInt(size, "size");
    }

    /** (height, width) of {@code crop_size}. */
    private static int[] hfCrop(JsonNode crop) {
        if (crop == null) {
            return new int[] {HF_DEFAULT_SIZE, HF_DEFAULT_SIZE};
        }
        if (crop.isObject()) {
            return new int[] {positiveInt(crop.get("height"), "crop_size.height"), positiveInt(crop.get("width"), "crop_size.width")};
        }
        int side = positiveInt(crop, "crop_size");
        return new int[] {side, side};
    }

    /**
     * Reads open_clip's {@code preprocess_cfg} (from {@code open_clip_config.json}): optional {@code mean} and {@code std}
     * (default: OpenAI's), optional {@code interpolation} (must be bicubic) and {@code resize_mode} (must be shortest).
     * The model's image size gives both the resize and the square crop.
     *
     * @param preprocessCfg the {@code preprocess_cfg} node, or null when the config has none
     * @throws IllegalArgumentException if a key is malformed or unsupported; the message names the key
     */
    public static PreprocessConfig fromOpenClip(JsonNode preprocessCfg, int imageSize) {
        if (preprocessCfg == null || preprocessCfg.isNull() || preprocessCfg.isMissingNode()) {
            return openAiDefaults(imageSize);
        }
        Function<String, IllegalArgumentException> bad = message -> new IllegalArgumentException("open_clip preprocess_cfg: " + message);
        if (!preprocessCfg.isObject()) {
            throw bad.apply("expected a JSON object, got " + preprocessCfg);
        }
        requireText(preprocessCfg, "interpolation", "bicubic", bad);
        requireText(preprocessCfg, "resize_mode", "shortest", bad);
        try {
            float[] mean = channels(preprocessCfg, "mean", OPENAI_MEAN);
            float[] std = channels(preprocessCfg, "std", OPENAI_STD);
            return new PreprocessConfig(imageSize, imageSize, imageSize, mean, std, CropRule.TORCHVISION);
        } catch (IllegalArgumentException e) {
            throw bad.apply(e.getMessage());
        }
    }

    private static void requireText(JsonNode node, String key, String expected, Function<String, IllegalArgumentException> bad) {
        JsonNode value = node.get(key);
        if (value != null && !value.isNull() && !expected.equals(value.asText())) {
            throw bad.apply("'" + key + "' is " + value + ", but only \"" + expected + "\" is supported");
        }
    }

    private static int positiveInt(JsonNode node, String key) {
        if (node == null || !node.canConvertToExactIntegral() || !node.canConvertToInt() || node.intValue() <= 0) {
            throw new IllegalArgumentException("'" + key + "' must be a positive integer, got " + node);
        }
        return node.intValue();
    }

    private static float[] channels(JsonNode parent, String key, float[] fallback) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isArray() || node.size() != 3) {
            throw new IllegalArgumentException("'" + key + "' must be an array of 3 numbers (R, G, B), got " + node);
        }
        float[] values = new float[3];
        for (int c = 0; c < 3; c++) {
            if (!node.get(c).isNumber()) {
                throw new IllegalArgumentException("'" + key + "' must be an array of 3 numbers (R, G, B), got " + node);
            }
            values[c] = node.get(c).floatValue();
        }
        return values;
    }

    /**
     * Writes these settings as a Hugging Face {@code preprocessor_config.json} for {@code CLIPImageProcessor},
     * atomically; {@link #fromHuggingFace} reads it back to equal settings.
     */
    public void writeHuggingFace(Path preprocessorConfigJson) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode crop = root.putObject("crop_size");
        crop.put("height", cropHeight);
        crop.put("width", cropWidth);
        for (String step : new String[] {"do_center_crop", "do_convert_rgb", "do_normalize", "do_rescale",
                "do_resize"}) {
            root.put(step, true);
        }
        ArrayNode meanNode = root.putArray("image_mean");
        ArrayNode stdNode = root.putArray("image_std");
        for (int c = 0; c < 3; c++) {
            meanNode.add(mean[c]);
            stdNode.add(std[c]);
        }
        root.put("resample", PIL_BICUBIC);
        root.put("rescale_factor", 1.0 / 255);
        root.putObject("size").put("shortest_edge", shortestEdge);
        root.put("image_processor_type", "CLIPImageProcessor");
        AtomicFiles.write(preprocessorConfigJson, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    /** Target length of the shorter image side after the resize. */
    public int shortestEdge() {
        return shortestEdge;
    }

    /** Width of the center crop. */
    public int cropWidth() {
        return cropWidth;
    }

    /** Height of the center crop. */
    public int cropHeight() {
        return cropHeight;
    }

    /** Where the center crop starts: the rule of the processor this checkpoint was made for. */
    public CropRule cropRule() {
        return cropRule;
    }

    /** Per-channel mean (R, G, B), a copy. */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-channel standard deviation (R, G, B), a copy. */
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessConfig c && shortestEdge == c.shortestEdge && cropWidth == c.cropWidth
                && cropHeight == c.cropHeight && Arrays.equals(mean, c.mean) && Arrays.equals(std, c.std)
                && cropRule == c.cropRule;
    }

    @Override
    public int hashCode() {
        return ((shortestEdge * 31 + cropWidth) * 31 + cropHeight) * 31 + Arrays.hashCode(mean) * 17 + Arrays.hashCode(std)
                + cropRule.hashCode();
    }

    @Override
    public String toString() {
        return "PreprocessConfig[shortestEdge=" + shortestEdge + ", crop=" + cropWidth + "x" + cropHeight + ", mean="
                + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ", cropRule=" + cropRule + "]";
    }
}
