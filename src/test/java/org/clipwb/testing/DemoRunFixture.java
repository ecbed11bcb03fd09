package org.clipwb.testing;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clipwb.app.project.ProjectSettings;
import org.clipwb.app.project.WorkbenchProject;
import org.clipwb.app.zeroshot.RunRequest;
import org.clipwb.app.zeroshot.ZeroShotResult;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationRunner;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.DataPreparation;
import org.clipwb.core.adapt.llu.Llu;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.EmbeddingCache;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.Precision;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.store.DownloadListener;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.ZeroShotClassifier;
import org.clipwb.core.zeroshot.ZeroShotRun;

/**
 * A small draw of a sample project classified zero-shot by the bundled demo model, in a workbench project, plus a
 * short real LLU run on its cached embeddings: what the inspector and dataset view tests drive.
 */
public final class DemoRunFixture implements AutoCloseable {
    /** Images per class of the draw: small, so that embedding and the run take seconds. */
    public static final int IMAGES_PER_CLASS = 6;

    private final WorkbenchProject project;
    private final ZeroShotResult zeroShot;
    private final RunRecord run;

    private DemoRunFixture(WorkbenchProject project, ZeroShotResult zeroShot, RunRecord run) {
        this.project = project;
        this.zeroShot = zeroShot;
        this.run = run;
    }

    /** Generates, embeds, classifies and adapts (LLU, a few epochs) under {@code dir}. */
    public static DemoRunFixture create(Path dir) throws IOException, InterruptedException {
        ProjectFolder sample = new ProjectFolder(dir.resolve("sample"));
        SampleProject.SHAPES_SHIFTED.variant(17, IMAGES_PER_CLASS).generate(sample.dir());
        ModelStore offline = ModelStore.fromEnvironment(Map.of("CLIPWB_CACHE", dir.resolve("models").toString(),
                "CLIPWB_OFFLINE", "1"));
        Path model = offline.resolve(ModelStore.DEFAULT_MODEL, DownloadListener.NONE);
        ClassList classes = ClassList.read(sample.classList());
        PromptTemplates templates = PromptTemplates.read(sample.templates());
        ZeroShotClassifier classifier;
        EmbeddedFolder embedded;
        try (Clip clip = Clip.load(model, ModelStore.DEFAULT_MODEL);
                EmbeddingCache cache = EmbeddingCache.open(dir.resolve("embeddings.sqlite"))) {
            embedded = EmbeddedFolder.embed(ImageFolder.scan(sample.images()), new ImageEmbedder(clip, cache, 16, 1),
                    (done, total) -> { });
            classifier = ZeroShotClassifier.build(classes, templates, clip, clip.logitScale());
        }
        ZeroShotRun classified = ZeroShotRun.classify(embedded, classifier);
        ZeroShotResult result = new ZeroShotResult(new RunRequest(sample.images(), ModelStore.DEFAULT_MODEL,
                Precision.FP32, classes, templates), classified, false, Duration.ZERO);
        WorkbenchProject project = WorkbenchProject.create(Files.createDirectories(dir.resolve("project")),
                ProjectSettings.of(sample.images().toString(), Files.readString(sample.classList())));
        AdaptationData data = DataPreparation.prepare(classifier, embedded, List.of(), files -> {
            throw new IllegalStateException("no shots to embed");
        }, Optional.empty()).data();
        Llu llu = new Llu();
        RunRecord created = project.catalog().createRun("llu", 3, llu.info().defaults().withAssignments(List.of(
                "train.epochs=5", "labels.k=3", "llu.anchors=6", "llu.lambda=0")).asText(), project.runInputs());
        RunRecord run = AdaptationRunner.run(project.catalog(), created, llu, data, event -> { }, new Cancellation(),
                Device.cpu()).run();
        return new DemoRunFixture(project, result, run);
    }

    /** The project, with the LLU run in its catalog. */
    public WorkbenchProject project() {
        return project;
    }

    /** The demo model's zero-shot classification of the draw. */
    public ZeroShotResult zeroShot() {
        return zeroShot;
    }

    /** The finished LLU run. */
    public RunRecord run() {
        return run;
    }

    @Override
    public void close() throws IOException {
        project.close();
    }
}
