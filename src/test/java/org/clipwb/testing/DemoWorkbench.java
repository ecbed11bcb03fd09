package org.clipwb.testing;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clipwb.app.WorkbenchContext;
import org.clipwb.app.project.ProjectSettings;
import org.clipwb.app.project.WorkbenchProject;
import org.clipwb.app.zeroshot.RunRequest;
import org.clipwb.app.zeroshot.ZeroShotResult;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.EmbeddingCache;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.Precision;
import org.clipwb.core.store.DownloadListener;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.util.WorkbenchPaths;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.ZeroShotClassifier;
import org.clipwb.core.zeroshot.ZeroShotRun;
import org.testfx.api.FxToolkit;

/**
 * A window context for view tests: a small draw of the fills-shifted sample project (4 classes) opened as a
 * project, with the bundled demo model loaded once per test JVM, and the errors the views report collected.
 */
public final class DemoWorkbench {
    private static Clip demo;

    /** The errors views reported through the context. */
    public final List<String> errors = new CopyOnWriteArrayList<>();
    /** The context. */
    public final WorkbenchContext context;
    /** The open project. */
    public final WorkbenchProject project;

    private DemoWorkbench(WorkbenchContext context, WorkbenchProject project) {
        this.context = context;
        this.project = project;
    }

    /** The demo model on the CPU, loaded on first use and kept for the JVM (the views never close the window's model). */
    public static synchronized Clip demoClip() throws IOException, InterruptedException {
        if (demo == null) {
            Path folder = ModelStore.fromEnvironment().resolve(ModelStore.DEFAULT_MODEL, DownloadListener.of(d -> { },
                    n -> { }));
            demo = Clip.load(folder, ModelStore.DEFAULT_MODEL, Device.cpu(), Precision.FP32);
        }
        return demo;
    }

    /**
     * Generates {@code imagesPerClass} images per class of fills-shifted in {@code dir}/sample and opens a project on
     * them in {@code dir}/project, on the FX thread, with the demo model as the window's model.
     */
    public static DemoWorkbench open(Path dir, int imagesPerClass) throws Exception {
        ProjectFolder sample = new ProjectFolder(dir.resolve("sample"));
        SampleProject.FILLS_SHIFTED.defaultVariant().withImagesPerClass(imagesPerClass).generate(sample.dir());
        Clip clip = demoClip();
        WorkbenchProject project = WorkbenchProject.create(dir.resolve("project"), new ProjectSettings(
                sample.images().toString(), Files.readString(sample.classList()), sample.templates().toString(),
                ModelStore.DEFAULT_MODEL, Precision.FP32));
        return FxToolkit.setupFixture(() -> {
            WorkbenchContext context = new WorkbenchContext();
            DemoWorkbench workbench = new DemoWorkbench(context, project);
            context.setErrorHandler((what, error) -> workbench.errors.add(what + ": " + error));
            context.setProject(project);
            context.setModel(clip);
            return workbench;
        });
    }

    /**
     * Classifies the project's images zero-shot with the demo model (embedded through the embedding cache), as the
     * window's zero-shot run does, and makes the result the context's.
     */
    public ZeroShotResult classifyZeroShot() throws Exception {
        Clip clip = demoClip();
        ProjectSettings settings = project.settings();
        ClassList classes = ClassList.parse(settings.classList());
        PromptTemplates templates = PromptTemplates.resolve(settings.templates());
        ZeroShotRun run;
        try (EmbeddingCache cache = EmbeddingCache.open(WorkbenchPaths.embeddingCache())) {
            EmbeddedFolder embedded = EmbeddedFolder.embed(ImageFolder.scan(Path.of(settings.images())),
                    new ImageEmbedder(clip, cache, 16, 1), (done, total) -> { });
            run = ZeroShotRun.classify(embedded, ZeroShotClassifier.build(classes, templates, clip,
                    clip.logitScale()));
        }
        ZeroShotResult result = new ZeroShotResult(new RunRequest(Path.of(settings.images()).toAbsolutePath()
                .normalize(), settings.model(), settings.precision(), classes, templates), run, false, Duration.ZERO);
        FxToolkit.setupFixture(() -> context.setZeroShotResult(result));
        return result;
    }

    /** Closes the context and the project. */
    public void close() throws Exception {
        FxToolkit.setupFixture(context::close);
        project.close();
    }
}
