package org.clipwb.app.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.DataPreparation;
import org.clipwb.core.adapt.DescriptionSources;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.data.LabeledShots;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.EmbeddingCache;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.util.ProgressText;
import org.clipwb.core.util.WorkbenchPaths;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.ZeroShotClassifier;

/**
 * Builds a run's data from the inputs the catalog recorded for it, as {@code clipwb adapt} does: the class list,
 * templates, image folder (embedded through the embedding cache, so a folder the window already classified costs
 * no model work), labeled shots, held-out folder and, for the methods that use them, the descriptions source
 * ({@link DescriptionSources}, the CLI's {@code --descriptions}). Call it off the FX thread.
 */
public final class RunPreparation {
    /** Images per forward pass while embedding: small, so that a cancel takes effect quickly on a CPU. */
    private static final int BATCH_SIZE = 16;

    private RunPreparation() {
    }

    /**
     * The data of {@code run} of the project in {@code projectFolder}, embedded by {@code clip}.
     *
     * @param projectFolder the project folder, whose {@code descriptions/} keeps the descriptions for later runs
     * @param status told what is being done, on the calling thread
     * @throws IOException naming the input that cannot be read
     */
    public static AdaptationData prepare(RunRecord run, Clip clip, Path projectFolder, Consumer<String> status)
            throws IOException, InterruptedException {
        Map<String, String> inputs = run.inputs();
        ClassList classes = ClassList.read(Path.of(required(inputs, RunRecord.INPUT_CLASSES)));
        PromptTemplates templates = PromptTemplates.resolve(inputs.getOrDefault(RunRecord.INPUT_TEMPLATES,
                PromptTemplates.DEFAULT_TEMPLATE));
        ImageFolder folder = ImageFolder.scan(Path.of(required(inputs, RunRecord.INPUT_IMAGES)));
        if (folder.entries().isEmpty()) {
            throw new IOException("The image folder " + folder.root() + " holds no images: choose another folder");
        }
        Optional<ImageFolder> testFolder = Optional.ofNullable(inputs.get(RunRecord.INPUT_TEST_IMAGES))
                .map(Path::of).map(path -> {
                    try {
                        return ImageFolder.scan(path);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        try (EmbeddingCache cache = EmbeddingCache.open(WorkbenchPaths.embeddingCache())) {
            ImageEmbedder embedder = new ImageEmbedder(clip, cache, BATCH_SIZE, ImageEmbedder.defaultWorkers());
            EmbeddedFolder target = embed(embedder, folder, status);
            Optional<EmbeddedFolder> test = testFolder.isEmpty() ? Optional.empty()
                    : Optional.of(embed(embedder, testFolder.get(), status));
            status.accept("Encoding the prompts of " + classes.size() + " classes");
            ZeroShotClassifier classifier = ZeroShotClassifier.build(classes, templates, clip, clip.logitScale());
            List<LabeledShots.Shot> shots = inputs.containsKey(RunRecord.INPUT_SHOTS)
                    ? LabeledShots.read(Path.of(inputs.get(RunRecord.INPUT_SHOTS)), classes, folder.root()) : List.of();
            DataPreparation.Prepared prepared = DataPreparation.prepare(classifier, target, shots,
                    files -> embedder.embed(files, (done, total) -> { }), test);
            AdaptationData data = prepared.data().withImages(new ImageSource(clip, folder.root(),
                    testFolder.map(ImageFolder::root)));
            String descriptions = inputs.get(RunRecord.INPUT_DESCRIPTIONS);
            return descriptions == null ? data : data.withDescriptions(DescriptionSources.of(descriptions, clip,
                    classifier, target, projectFolder, (done, total, message) -> status.accept(String.format(
                            Locale.ROOT, "Descriptions %d/%d: %s", done, total, message))));
        }
    }

    private static EmbeddedFolder embed(ImageEmbedder embedder, ImageFolder folder, Consumer<String> status)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        return EmbeddedFolder.embed(folder, embedder, (done, total) -> status.accept(
                ProgressText.count("Embedding " + folder.root().getFileName(), done, total, start)));
    }

    private static String required(Map<String, String> inputs, String key) {
        String value = inputs.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The run records no " + key + " input: start a new run instead");
        }
        return value;
    }
}
