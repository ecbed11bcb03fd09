package org.clipwb.core.adapt.coft;

import ai.djl.Device;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.DataPreparation;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.ZeroShotClassifier;
import org.clipwb.testing.TestData;

/**
 * A small image world for CoFT's tests: the tiny random CLIP of the test resources (32 px) and folders of 40-px
 * images in four colour classes, each image a colour field with seeded noise and a random bright square. LatteCLIP's
 * tests use it too.
 */
public final class CoftFixture {
    public static final List<String> CLASSES = List.of("red", "green", "blue", "yellow");
    private static final int[][] COLOURS = {{200, 40, 40}, {40, 180, 60}, {50, 60, 210}, {220, 210, 40}};

    private CoftFixture() {
    }

    public static Clip loadClip() throws IOException {
        return Clip.load(TestData.tinyClip().resolve("hf"), "tiny", Device.cpu());
    }

    /** {@code perClass} images of each class in class subfolders of {@code root}. */
    public static void writeImages(Path root, int perClass, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (int c = 0; c < CLASSES.size(); c++) {
            Path folder = Files.createDirectories(root.resolve(CLASSES.get(c)));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
                int left = random.nextInt(30);
                int top = random.nextInt(30);
                for (int y = 0; y < 40; y++) {
                    for (int x = 0; x < 40; x++) {
                        boolean square = x >= left && x < left + 10 && y >= top && y < top + 10;
                        int[] rgb = new int[3];
                        for (int k = 0; k < 3; k++) {
                            int value = square ? 255 - COLOURS[c][k] / 2 : COLOURS[c][k] + random.nextInt(61) - 30;
                            rgb[k] = Math.max(0, Math.min(255, value));
                        }
                        image.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
                    }
                }
                ImageIO.write(image, "png", folder.resolve("img" + i + ".png").toFile());
            }
        }
    }

    /** The adaptation data of a target and a test folder, embedded with {@code clip}, with its image source. */
    public static AdaptationData data(Clip clip, Path target, Path test, LabeledSet shots) throws Exception {
        ZeroShotClassifier classifier = ZeroShotClassifier.build(ClassList.parse(String.join("\n", CLASSES)),
                PromptTemplates.single("a photo of a {}."), clip, clip.logitScale());
        ImageEmbedder embedder = new ImageEmbedder(clip, null, 16, 1);
        LabeledSet targetSet = DataPreparation.labeled(EmbeddedFolder.embed(ImageFolder.scan(target), embedder,
                (done, total) -> { }), classifier);
        LabeledSet testSet = DataPreparation.labeled(EmbeddedFolder.embed(ImageFolder.scan(test), embedder,
                (done, total) -> { }), classifier);
        return new AdaptationData(classifier.classes(), targetSet, classifier.classWeights(), classifier.logitScale(),
                shots, Optional.of(testSet)).withImages(new ImageSource(clip, target, Optional.of(test)));
    }
}
