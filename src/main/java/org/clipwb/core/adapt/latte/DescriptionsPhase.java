package org.clipwb.core.adapt.latte;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.MethodInfo.PhaseInfo;
import org.clipwb.core.adapt.PhaseContext;
import org.clipwb.core.adapt.ProgressEvent;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.describe.Described;
import org.clipwb.core.describe.Describer;
import org.clipwb.core.describe.DescriptionStore;

/**
 * LatteCLIP's offline texts (methods.md §3.2 P3, P4): a description of every training image, asked with its dataset
 * kind's prompt, and for every training image (the anchor) a group picture of {@code latte.group-size} images that
 * share its zero-shot label, described with the group prompt. The descriptions go through a {@link Describer}, so a
 * run stopped part-way asks only for the rest; the phase's outputs keep the texts, the groups and the provider that
 * wrote them.
 */
final class DescriptionsPhase {
    static final String ID = "descriptions";
    static final PhaseInfo INFO = new PhaseInfo(ID, "Image and group descriptions",
            "A language model (or the offline caption bank) describes every training image, and what the images of a "
                    + "same-label group have in common");

    private static final String PROVIDER = "provider";
    private static final String IMAGE = "image.";
    private static final String GROUP = "group.";
    private static final String IMAGES = "images";
    private static final String GROUPS = "groups";

    private DescriptionsPhase() {
    }

    /**
     * The texts of the training images, in the order of {@code images}.
     *
     * @param provider the {@link org.clipwb.core.describe.DescriptionProvider#id()} that wrote every one of them
     * @param images the training images, as target indices
     * @param groups the target indices in each training image's group picture, in grid order
     * @param imageDescriptions T_image of each training image
     * @param groupDescriptions T_group of each training image (of its group picture)
     */
    record Descriptions(String provider, int[] images, int[][] groups, List<String> imageDescriptions,
            List<String> groupDescriptions) {
    }

    /** Runs (or restores) the phase for the selected images of {@code labels}. */
    static Descriptions run(RunContext context, PseudoLabels labels, LatteInputs inputs) throws IOException {
        int[] images = labels.selected();
        return restore(context.phase(ID, phase -> describe(phase, labels, images, inputs)));
    }

    /** The texts the phase's outputs hold. */
    static Descriptions restore(Checkpoint outputs) {
        int[] images = PseudoLabelPhase.toInts(outputs.tensor(IMAGES).values());
        int[][] groups = indices(outputs.tensor(GROUPS));
        List<String> imageDescriptions = new ArrayList<>(images.length);
        List<String> groupDescriptions = new ArrayList<>(images.length);
        for (int k = 0; k < images.length; k++) {
            imageDescriptions.add(outputs.value(IMAGE + k).orElseThrow());
            groupDescriptions.add(outputs.value(GROUP + k).orElseThrow());
        }
        return new Descriptions(outputs.value(PROVIDER).orElseThrow(), images, groups, imageDescriptions,
                groupDescriptions);
    }

    private static Checkpoint.Builder describe(PhaseContext phase, PseudoLabels labels, int[] images,
            LatteInputs inputs) throws IOException {
        if (images.length == 0) {
            throw new IllegalStateException("LatteCLIP has no training images to describe: the pseudo-label "
                    + "selection kept none");
        }
        RunContext context = phase.run();
        DatasetKind kind = DatasetKind.of(context.settings().choice("latte.dataset-kind"));
        List<String> classNames = context.data().classes().names();
        List<String> keys = context.data().target().keys();
        int[] trainingLabels = new int[images.length];
        for (int k = 0; k < images.length; k++) {
            trainingLabels[k] = labels.predicted()[images[k]];
        }
        // §3.2 P4: the groups are drawn among the training images with the anchor's zero-shot label.
        SameLabelImages sameLabel = new SameLabelImages(trainingLabels);
        SplittableRandom random = new SplittableRandom(context.seed());
        int groupSize = context.settings().integer("latte.group-size");
        int[][] groups = new int[images.length][];
        Map<String, List<Path>> groupPictures = new LinkedHashMap<>();
        for (int k = 0; k < images.length; k++) {
            int[] members = sameLabel.group(k, groupSize, random);
            groups[k] = new int[groupSize];
            List<Path> files = new ArrayList<>(groupSize);
            for (int m = 0; m < groupSize; m++) {
                groups[k][m] = images[members[m]];
                files.add(inputs.imageFile().apply(keys.get(groups[k][m])));
            }
            groupPictures.put(keys.get(images[k]), files);
        }
        // The image prompt may name the image's class (Flowers, Food), so images are asked prompt by prompt.
        Map<String, List<Path>> imagesByPrompt = new LinkedHashMap<>();
        for (int k = 0; k < images.length; k++) {
            imagesByPrompt.computeIfAbsent(kind.imagePrompt(classNames.get(trainingLabels[k])), p -> new ArrayList<>())
                    .add(inputs.imageFile().apply(keys.get(images[k])));
        }

        Describer describer = new Describer(inputs.provider(), DescriptionStore.open(inputs.descriptionFolder()),
                (done, total, message) -> {
                    phase.report(new ProgressEvent(ID, 0, 0, done, total, 0, Map.of(), Double.NaN, Optional.empty(),
                            Optional.empty(), message));
                    phase.checkCancelled();
                });
        Map<Path, String> imageTexts = new LinkedHashMap<>();
        String provider;
        Described<String, String> groupTexts;
        try {
            for (Map.Entry<String, List<Path>> prompt : imagesByPrompt.entrySet()) {
                imageTexts.putAll(describer.describeImages(prompt.getValue(), prompt.getKey()).descriptions());
            }
            groupTexts = describer.describeGroups(groupPictures, kind.groupPrompt());
            provider = groupTexts.provider();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("describing was interrupted; the descriptions so far are kept");
        }

        Checkpoint.Builder outputs = Checkpoint.after(0).value(PROVIDER, provider).value("dataset_kind", kind.word())
                .tensor(GROUPS, Tensor.of(asFloats(groups))).tensor(IMAGES, Tensor.of(PseudoLabelPhase.toFloats(images)));
        for (int k = 0; k < images.length; k++) {
            outputs.value(IMAGE + k, imageTexts.get(inputs.imageFile().apply(keys.get(images[k]))));
            outputs.value(GROUP + k, groupTexts.descriptions().get(keys.get(images[k])));
        }
        phase.report(ProgressEvent.message(ID, images.length + " images and their groups described by " + provider));
        return outputs;
    }

    private static float[][] asFloats(int[][] indices) {
        float[][] floats = new float[indices.length][];
        for (int row = 0; row < indices.length; row++) {
            floats[row] = new float[indices[row].length];
            for (int column = 0; column < indices[row].length; column++) {
                floats[row][column] = indices[row][column];
            }
        }
        return floats;
    }

    private static int[][] indices(Tensor tensor) {
        float[][] rows = tensor.rows();
        int[][] indices = new int[rows.length][];
        for (int row = 0; row < rows.length; row++) {
            indices[row] = new int[rows[row].length];
            for (int column = 0; column < rows[row].length; column++) {
                indices[row][column] = Math.round(rows[row][column]);
            }
        }
        return indices;
    }
}
