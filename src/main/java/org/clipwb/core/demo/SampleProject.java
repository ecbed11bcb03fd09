package org.clipwb.core.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.clipwb.core.data.ProjectFolder;
import org.clipwb.core.util.AtomicFiles;

/**
 * The sample projects of {@code sample-projects/}, generated from the demo world: a folder of images with one
 * subfolder per class (the evaluation labels), {@code classes.txt} and {@code templates.txt}. Classes are balanced
 * and every other attribute is drawn at random; a project is a pure function of its definition.
 */
public enum SampleProject {
    /** Which shape, on a target domain with clutter, low contrast, blur and noise. */
    SHAPES_SHIFTED("shapes-shifted", WorldTask.SHAPE, DomainShift.ofSeverity(0.8), 24, 0x5A3E_0001L,
            "%d shapes on a shifted domain: clutter, low contrast, blur and noise. Zero-shot has room to improve"),
    /** Which colour, where random-coloured clutter and a milder shift make colours confusable. */
    COLOURS_CLUTTERED("colours-cluttered", WorldTask.COLOUR, new DomainShift(1.0, 0.45, 0.006, 28), 24,
            0x5A3E_0002L,
            "%d colours among colourful clutter"),
    /** How the objects are painted, on the domain of shapes-shifted, where blur and noise wash out stripes and dots. */
    FILLS_SHIFTED("fills-shifted", WorldTask.FILL, DomainShift.ofSeverity(0.8), 24, 0x5A3E_0003L,
            "%d fills (solid, outlined, striped, dotted) on the shifted domain of shapes-shifted");

    /** Side of the generated images: twice the demo model's input, so preprocessing resizes as for real photos. */
    public static final int IMAGE_SIZE = 128;
    private static final float JPEG_QUALITY = 0.9f;

    private final String folderName;
    private final WorldTask task;
    private final DomainShift shift;
    private final int imagesPerClass;
    private final long seed;
    private final String summary;

    SampleProject(String folderName, WorldTask task, DomainShift shift, int imagesPerClass, long seed,
            String summary) {
        this.summary = summary;
        this.folderName = folderName;
        this.task = task;
        this.shift = shift;
        this.imagesPerClass = imagesPerClass;
        this.seed = seed;
    }

    /** The folder name under {@code sample-projects/}, e.g. "shapes-shifted". */
    public String folderName() {
        return folderName;
    }

    /** One line for people choosing a project, e.g. "8 shapes on a shifted domain: ...". */
    public String description() {
        return String.format(Locale.ROOT, summary, task.classNames().size());
    }

    /** What is classified. */
    public WorldTask task() {
        return task;
    }

    /** How the images differ from the pretraining renders. */
    public DomainShift shift() {
        return shift;
    }

    /** The project with this folder name. */
    public static SampleProject byName(String name) {
        return Arrays.stream(values()).filter(p -> p.folderName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sample project \"" + name + "\" (known: "
                        + String.join(", ", Arrays.stream(values()).map(SampleProject::folderName).toList()) + ")"));
    }

    /**
     * Writes the project's images, class list and templates into {@code dir} (created if needed; files of an
     * earlier generation are overwritten, each atomically). The images come first and the templates last, so a
     * folder with both lists holds a finished generation (see {@link SampleProjects}).
     */
    public void generate(Path dir) throws IOException {
        ProjectFolder folder = new ProjectFolder(dir);
        List<String> classes = task.classNames();
        for (int c = 0; c < classes.size(); c++) {
            Path classDir = Files.createDirectories(folder.images().resolve(classes.get(c)));
            for (int i = 0; i < imagesPerClass; i++) {
                Scene scene = task.sample(SceneSampler.randomFor(seed, (long) c * imagesPerClass + i), c);
                writeJpeg(SceneRenderer.render(scene, IMAGE_SIZE, shift),
                        classDir.resolve(String.format(Locale.ROOT, "%s-%03d.jpg", classes.get(c), i + 1)));
            }
        }
        AtomicFiles.write(folder.classList(), (String.join("\n", classes) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(folder.templates(), ("# the prompt the demo model was pretrained to match\n"
                + task.template() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void writeJpeg(java.awt.image.BufferedImage image, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam parameters = writer.getDefaultWriteParam();
            parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            parameters.setCompressionQuality(JPEG_QUALITY);
            AtomicFiles.write(file, out -> {
                try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                    writer.setOutput(stream);
                    writer.write(null, new IIOImage(image, null, null), parameters);
                }
            });
        } finally {
            writer.dispose();
        }
    }
}
