package org.clipwb.core.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
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
 * and every other attribute is drawn at random; a project is a pure function of its definition and its draw
 * ({@link Variant}): the shipped copy is {@link #defaultVariant()}, and other seeds give fresh exercises and held-out
 * sets of the same kind of images.
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
            "%d fills (solid, outlined, striped, dotted) on the shifted domain of shapes-shifted"),
    /**
     * How big the objects are, on the domain of shapes-shifted: a coarse attribute that survives blur and noise, so
     * the encoder can learn it from labels even where the prompts do not find it.
     */
    SIZES_SHIFTED("sizes-shifted", WorldTask.SIZE, DomainShift.ofSeverity(0.8), 32, 0x5A3E_0004L,
            "%d sizes (small, medium-sized, large) on the shifted domain of shapes-shifted");

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

    /** The draw that {@code sample-projects/} ships and {@link SampleProjects} generates. */
    public Variant defaultVariant() {
        return new Variant(this, seed, imagesPerClass);
    }

    /** Another draw of this project: {@code imagesPerClass} images per class from the scenes of stream {@code seed}. */
    public Variant variant(long seed, int imagesPerClass) {
        return new Variant(this, seed, imagesPerClass);
    }

    /** Generates the {@linkplain #defaultVariant() shipped draw} into {@code dir}; see {@link Variant#generate}. */
    public void generate(Path dir) throws IOException {
        defaultVariant().generate(dir);
    }

    /**
     * One draw of a sample project: the project's task, shift and templates, with balanced classes drawn from one
     * seed's stream of scenes. Image {@code i} of class {@code c} is scene {@code c * imagesPerClass + i} of the
     * stream, so a draw is reproducible byte for byte, and another seed draws other scenes.
     *
     * @param seed           the stream the scenes are drawn from
     * @param imagesPerClass images in each class folder, at least 1
     */
    public record Variant(SampleProject project, long seed, int imagesPerClass) {
        public Variant {
            Objects.requireNonNull(project, "project");
            if (imagesPerClass < 1) {
                throw new IllegalArgumentException("need at least 1 image per class, not " + imagesPerClass);
            }
        }

        /** This draw from another stream of scenes. */
        public Variant withSeed(long otherSeed) {
            return new Variant(project, otherSeed, imagesPerClass);
        }

        /** This draw with another number of images per class. */
        public Variant withImagesPerClass(int count) {
            return new Variant(project, seed, count);
        }

        /**
         * Writes the draw's images, class list and templates into {@code dir} (created if needed; files of an
         * earlier generation of the same size are overwritten, each atomically). The images come first and the
         * templates last, so a folder with both lists holds a finished generation (see {@link SampleProjects}).
         *
         * @throws IOException also, before writing anything, when {@code images/} holds a file or folder that this
         *                     draw does not write (another project's, or a bigger draw's)
         */
        public void generate(Path dir) throws IOException {
            ProjectFolder folder = new ProjectFolder(dir);
            List<String> classes = project.task.classNames();
            refuseForeignEntries(folder.images(), classes);
            for (int c = 0; c < classes.size(); c++) {
                for (int i = 0; i < imagesPerClass; i++) {
                    Scene scene = project.task.sample(SceneSampler.randomFor(seed, (long) c * imagesPerClass + i), c);
                    writeJpeg(SceneRenderer.render(scene, IMAGE_SIZE, project.shift),
                            folder.images().resolve(imageFile(classes.get(c), i)));
                }
            }
            AtomicFiles.write(folder.classList(), (String.join("\n", classes) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            AtomicFiles.write(folder.templates(), ("# the prompt the demo model was pretrained to match\n"
                    + project.task.template() + "\n").getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Fails when {@code images} holds a visible entry that this draw does not write: left there, it would be
         * evaluated with the draw (hidden names are skipped, as {@link org.clipwb.core.data.ImageFolder} skips them).
         */
        private void refuseForeignEntries(Path images, List<String> classes) throws IOException {
            if (!Files.isDirectory(images)) {
                return;
            }
            Set<Path> written = new HashSet<>();
            for (String className : classes) {
                written.add(Path.of(className));
                for (int i = 0; i < imagesPerClass; i++) {
                    written.add(imageFile(className, i));
                }
            }
            Optional<Path> foreign;
            try (Stream<Path> entries = Files.walk(images)) {
                foreign = entries.map(images::relativize)
                        .filter(entry -> !entry.toString().isEmpty() && !written.contains(entry) && !isHidden(entry))
                        .sorted().findFirst();
            }
            if (foreign.isPresent()) {
                throw new IOException(images.resolve(foreign.get()) + " is not part of this draw of "
                        + project.folderName + " (" + imagesPerClass + " images per class); generate it into an "
                        + "empty folder");
            }
        }

        /** Image {@code i} (from 0) of a class, relative to {@code images/}: "circle/circle-001.jpg". */
        private static Path imageFile(String className, int i) {
            return Path.of(className, String.format(Locale.ROOT, "%s-%03d.jpg", className, i + 1));
        }

        private static boolean isHidden(Path relative) {
            for (Path name : relative) {
                if (name.toString().startsWith(".")) {
                    return true;
                }
            }
            return false;
        }
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
