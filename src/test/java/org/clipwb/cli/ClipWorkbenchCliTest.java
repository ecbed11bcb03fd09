package org.clipwb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.clipwb.core.model.ClipConfig;
import org.clipwb.core.store.ModelStore;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CLI end to end on the tiny fixture model, and its one-line errors. */
class ClipWorkbenchCliTest {
    @TempDir
    Path temp;

    private String model;
    private final CliSession cli = new CliSession();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    @BeforeEach
    void setUp() {
        model = TestData.tinyClip().resolve("hf").toString();
    }

    @Test
    void embedImagesWritesOneNormalisedRowPerReadableImageAndNamesEveryBrokenFile() throws IOException {
        Path images = labelledImages();
        Files.write(images.resolve("cat/broken.jpg"), new byte[] {1, 2, 3});
        Files.write(images.resolve("cat/empty.png"), new byte[0]);
        Files.createSymbolicLink(images.resolve("dog/dangling.jpg"), temp.resolve("moved-away.jpg"));
        Files.createSymbolicLink(images.resolve("dog/loop"), images.resolve("dog"));
        Path csv = temp.resolve("images.csv");
        assertEquals(0, run("embed", "--model", model, "--images", images.toString(), "--out", csv.toString()),
                err.toString());
        List<List<String>> rows = readCsv(csv);
        assertEquals(65, rows.get(0).size());
        assertEquals("path", rows.get(0).get(0));
        assertEquals("e63", rows.get(0).get(64));
        assertEquals(8, rows.size(), "header + 7 readable images");
        assertEquals("cat/big_rgb.png", rows.get(1).get(0));
        for (List<String> row : rows.subList(1, rows.size())) {
            assertEquals(1.0, norm(row), 1e-5, row.get(0));
        }
        for (String broken : List.of("broken.jpg", "empty.png", "dangling.jpg", "loop")) {
            assertTrue(err.toString().contains(broken), broken + " is named: " + err);
        }
        assertTrue(err.toString().contains("broken symbolic link"), err.toString());
    }

    @Test
    void embedTextsQuotesTextsAndMatchesImageSpace() throws IOException {
        Path texts = temp.resolve("texts.txt");
        Files.writeString(texts, "a photo of a dog.\n\n\"quoted\", with a comma\n# not a comment\n");
        Path csv = temp.resolve("texts.csv");
        assertEquals(0, run("embed", "--model", model, "--texts", texts.toString(), "--out", csv.toString()),
                err.toString());
        List<List<String>> rows = readCsv(csv);
        assertEquals(List.of("text", "e0"), rows.get(0).subList(0, 2));
        assertEquals("a photo of a dog.", rows.get(1).get(0));
        assertEquals("\"quoted\", with a comma", rows.get(2).get(0));
        assertEquals("# not a comment", rows.get(3).get(0));
        assertEquals(4, rows.size(), "the blank line is skipped");
        assertEquals(1.0, norm(rows.get(1)), 1e-5);
    }

    @ParameterizedTest
    @CsvSource({"hf, hf-bin, pytorch_model.bin", "open_clip, open_clip-bin, open_clip_pytorch_model.bin"})
    void embedWithAPickleCheckpointGivesTheSafetensorsEmbeddings(String safetensors, String pickle, String weights)
            throws IOException {
        Path texts = temp.resolve("texts.txt");
        Files.writeString(texts, "a photo of a dog.\ncircle\n");
        for (String input : new String[] {"--texts", "--images"}) {
            String inputPath = input.equals("--texts") ? texts.toString() : labelledImages().toString();
            Path expected = temp.resolve(safetensors + input + ".csv");
            Path actual = temp.resolve(pickle + input + ".csv");
            assertEquals(0, run("embed", "--no-cache", "--model", TestData.tinyClip().resolve(safetensors).toString(),
                    input, inputPath, "--out", expected.toString()), err.toString());
            err.getBuffer().setLength(0);
            assertEquals(0, run("embed", "--no-cache", "--model", TestData.tinyClip().resolve(pickle).toString(),
                    input, inputPath, "--out", actual.toString()), err.toString());
            assertTrue(err.toString().contains(" from " + weights + " (PyTorch pickle)"), err.toString());
            List<List<String>> expectedRows = readCsv(expected);
            List<List<String>> actualRows = readCsv(actual);
            assertEquals(expectedRows.size(), actualRows.size());
            for (int row = 0; row < expectedRows.size(); row++) {
                assertEquals(expectedRows.get(row).get(0), actualRows.get(row).get(0));
                for (int column = 1; row > 0 && column < expectedRows.get(row).size(); column++) {
                    assertEquals(Double.parseDouble(expectedRows.get(row).get(column)),
                            Double.parseDouble(actualRows.get(row).get(column)), 1e-6, actualRows.get(row).get(0));
                }
            }
        }
    }

    @Test
    void embedRefusesAMaliciousPickleAndRunsNothing() throws IOException {
        Path marker = Path.of("/tmp/clipwb-pickle-executed"); // what the fixture's payload would write
        Files.deleteIfExists(marker);
        Path folder = Files.createDirectories(temp.resolve("malicious"));
        try (var files = Files.list(TestData.tinyClip().resolve("hf-bin"))) {
            for (Path file : files.toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        Files.copy(TestData.tinyClip().resolve("pickle-variants/malicious.bin"), folder.resolve("pytorch_model.bin"),
                StandardCopyOption.REPLACE_EXISTING);
        Path texts = Files.writeString(temp.resolve("texts.txt"), "a cat\n");
        Path csv = temp.resolve("e.csv");

        assertEquals(1, run("embed", "--model", folder.toString(), "--texts", texts.toString(), "--out",
                csv.toString()));

        assertOneLine("refuses to load: its pickle asks for the global 'posix.system'");
        assertFalse(Files.exists(marker), "the payload ran");
        assertFalse(Files.exists(csv), "no output on failure");
    }

    @Test
    void zeroShotWritesPredictionsAndPrintsAccuracy() throws IOException {
        Path classes = temp.resolve("classes.txt");
        Files.writeString(classes, "# pets\ncat\ndog\n");
        Path csv = temp.resolve("predictions.csv");
        assertEquals(0, run("zero-shot", "--model", model, "--images", labelledImages().toString(), "--classes",
                classes.toString(), "--templates", "openai80", "--out", csv.toString()), err.toString());
        List<List<String>> rows = readCsv(csv);
        assertEquals(List.of("path", "prediction", "confidence", "margin", "cat", "dog"), rows.get(0));
        assertEquals(8, rows.size());
        for (List<String> row : rows.subList(1, rows.size())) {
            float cat = Float.parseFloat(row.get(4));
            float dog = Float.parseFloat(row.get(5));
            assertEquals(1.0, cat + dog, 1e-5);
            assertEquals(cat >= dog ? "cat" : "dog", row.get(1));
            assertEquals(Math.max(cat, dog), Float.parseFloat(row.get(2)), 1e-6);
            assertEquals(Math.abs(cat - dog), Float.parseFloat(row.get(3)), 1e-5);
        }
        assertTrue(out.toString().startsWith("Accuracy: "), out.toString());
        assertTrue(out.toString().contains("of 7 images"), out.toString());
    }

    @Test
    void withoutModelTheBundledDemoModelRunsOffline() throws Exception {
        Path classes = temp.resolve("classes.txt");
        Files.writeString(classes, "cat\ndog\n");
        Path predictions = temp.resolve("predictions.csv");
        assertEquals(0, run("zero-shot", "--offline", "--images", labelledImages().toString(), "--classes",
                classes.toString(), "--out", predictions.toString()), err.toString());
        List<List<String>> rows = readCsv(predictions);
        assertEquals(List.of("path", "prediction", "confidence", "margin", "cat", "dog"), rows.get(0));
        assertEquals(8, rows.size(), "header + 7 images");
        assertTrue(out.toString().contains("of 7 images"), out.toString());

        Path texts = temp.resolve("texts.txt");
        Files.writeString(texts, "a red circle\n");
        Path embeddings = temp.resolve("texts.csv");
        assertEquals(0, run("embed", "--offline", "--texts", texts.toString(), "--out", embeddings.toString()),
                err.toString());
        int embedDim = ClipConfig.fromHuggingFace(Path.of(ModelStore.class.getResource("demo/config.json").toURI()))
                .embedDim();
        assertEquals(1 + embedDim, readCsv(embeddings).get(1).size(), "the text and the demo model's dimensions");
    }

    @Test
    void modelsListsTheBundledDemoModelFirst() {
        assertEquals(0, run("models"), err.toString());
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.get(0).startsWith("Bundled with the workbench"), lines.get(0));
        assertTrue(lines.get(1).startsWith("  " + ModelStore.DEFAULT_MODEL + " "), lines.get(1));
        assertTrue(lines.get(2).startsWith("Models known by name"), lines.get(2));
        assertTrue(lines.get(3).startsWith("  openai/clip-vit-base-patch32 "), lines.get(3));
    }

    @Test
    void benchmarkWithoutModelMeasuresTheDemoModelAndSaveModelNeedsAnArchitecture() throws IOException {
        assertEquals(0, run("benchmark", "--images", labelledImages().toString(), "--count", "2", "--batch-size",
                "2"), err.toString());
        assertTrue(out.toString().startsWith("Model: " + ModelStore.DEFAULT_MODEL + ", "), out.toString());

        assertEquals(2, run("benchmark", "--images", labelledImages().toString(), "--save-model",
                temp.resolve("kept").toString()));
        assertOneLine("--save-model keeps the random checkpoint of --architecture");
        assertEquals(2, run("benchmark", "--images", "x", "--model", model, "--architecture", "ViT-B-32"));
        assertOneLine("mutually exclusive");
    }

    @Test
    void badUsageIsOneClearLineAndANonZeroExit() throws IOException {
        assertEquals(2, run("zero-shot", "--images", "x", "--out", "z"));
        assertOneLine("Missing required option: '--classes=FILE'");

        assertEquals(2, run("embed", "--model", model, "--out", "z.csv"));
        assertOneLine("Missing required argument");

        assertEquals(2, run("frobnicate"));
        assertOneLine("Unmatched argument");

        Path classes = temp.resolve("classes.txt");
        Files.writeString(classes, "cat\ndog\nCat\n");
        assertEquals(1, run("zero-shot", "--model", model, "--images", labelledImages().toString(), "--classes",
                classes.toString(), "--out", temp.resolve("p.csv").toString()));
        assertOneLine("line 3");
        assertFalse(Files.exists(temp.resolve("p.csv")), "no output on failure");

        assertEquals(1, run("embed", "--model", temp.resolve("no-model").toString(), "--texts", classes.toString(),
                "--out", temp.resolve("e.csv").toString()));
        assertOneLine("neither an existing folder nor a Hugging Face repo id");
    }

    @Test
    void pretrainDemoRejectsSettingsThatCannotTrain() {
        assertEquals(2, run("pretrain-demo", "--output", temp.toString(), "--steps", "0"));
        assertOneLine("need steps >= 1");
    }

    private void assertOneLine(String expected) {
        cli.assertOneLine(expected);
    }

    private int run(String... args) {
        return cli.run(args);
    }

    /** The seven fixture images in two class folders (the model is random: accuracy is whatever it is). */
    private Path labelledImages() throws IOException {
        Path root = temp.resolve("images");
        if (Files.exists(root)) {
            return root;
        }
        int i = 0;
        try (var files = Files.list(TestData.tinyClip().resolve("images"))) {
            for (Path file : files.sorted().toList()) {
                Path target = root.resolve(i++ % 2 == 0 ? "cat" : "dog").resolve(file.getFileName());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        return root;
    }

    private static List<List<String>> readCsv(Path csv) throws IOException {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (MappingIterator<List<String>> rows = mapper.readerForListOf(String.class).readValues(csv.toFile())) {
            return rows.readAll();
        }
    }

    private static double norm(List<String> row) {
        double sum = 0;
        for (String cell : row.subList(1, row.size())) {
            double v = Double.parseDouble(cell);
            sum += v * v;
        }
        return Math.sqrt(sum);
    }
}
