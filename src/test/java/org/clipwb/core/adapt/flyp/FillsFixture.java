package org.clipwb.core.adapt.flyp;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.DataPreparation;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.demo.SampleProject;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.ZeroShotClassifier;
import org.clipwb.testing.TestData;

/**
 * Small draws of the fills-shifted sample project for the tests of whole-encoder fine-tuning: a target of 4 classes
 * × {@code perClass} images and a test set of 4 × 2, with the project's class list and template, prepared for a run
 * with the tiny random CLIP of the test resources.
 */
public final class FillsFixture {
    private FillsFixture() {
    }

    /** The tiny random CLIP (32 px). */
    public static Clip tinyClip() throws IOException {
        return Clip.load(TestData.tinyClip().resolve("hf"), "tiny", Device.cpu());
    }

    /** Draws {@code root/target} and {@code root/test} and prepares them as the CLI does, with their image files. */
    public static AdaptationData data(Clip model, Path root, int perClass) throws Exception {
        SampleProject.FILLS_SHIFTED.variant(11, perClass).generate(root.resolve("target"));
        SampleProject.FILLS_SHIFTED.variant(12, 2).generate(root.resolve("test"));
        ProjectFolder target = new ProjectFolder(root.resolve("target"));
        ProjectFolder test = new ProjectFolder(root.resolve("test"));
        ZeroShotClassifier classifier = ZeroShotClassifier.build(ClassList.read(target.classList()),
                PromptTemplates.read(target.templates()), model, model.logitScale());
        ImageEmbedder embedder = new ImageEmbedder(model, null, 16, 1);
        EmbeddedFolder targetImages = EmbeddedFolder.embed(ImageFolder.scan(target.images()), embedder,
                (done, total) -> { });
        EmbeddedFolder testImages = EmbeddedFolder.embed(ImageFolder.scan(test.images()), embedder,
                (done, total) -> { });
        return DataPreparation.prepare(classifier, targetImages, List.of(), files -> {
            throw new IllegalStateException("no shots");
        }, Optional.of(testImages)).data().withImages(new ImageSource(model, target.images(),
                Optional.of(test.images())));
    }
}
