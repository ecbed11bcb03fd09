package org.clipwb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.clipwb.core.project.ProjectCatalog;
import org.clipwb.testing.LabelledImages;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clipwb runs report} on a run of the tiny fixture model. */
class RunsReportCommandTest {
    @TempDir
    Path temp;

    private final CliSession cli = new CliSession();

    @Test
    void writesAnHtmlReportOfARun() throws Exception {
        Path images = LabelledImages.copyInto(Files.createDirectories(temp.resolve("images")));
        Path classes = Files.writeString(temp.resolve("classes.txt"), "cat\ndog\n");
        Path project = temp.resolve("project");
        assertEquals(0, cli.run("adapt", "--method", "self-training", "--model",
                TestData.tinyClip().resolve("hf").toString(), "--images", images.toString(), "--classes",
                classes.toString(), "--project", project.toString(), "--set", "train.epochs=2", "--set", "labels.k=2"),
                cli.err.toString());
        String id;
        try (ProjectCatalog catalog = ProjectCatalog.open(project)) {
            id = catalog.runs().get(0).id();
        }
        Path report = temp.resolve("report.html");
        assertEquals(0, cli.run("runs", "report", id, "--project", project.toString(), "--out", report.toString()),
                cli.err.toString());
        String html = Files.readString(report);
        assertTrue(html.contains("<h1>Run " + id + ": Self-training") && html.contains("Phase by phase"), html);
        assertEquals(2, cli.run("runs", "report", "missing", "--project", project.toString(), "--out",
                report.toString()));
        assertTrue(cli.err.toString().contains("has no run 'missing'"), cli.err.toString());
    }
}
