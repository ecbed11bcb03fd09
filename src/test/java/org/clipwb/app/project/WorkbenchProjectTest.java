package org.clipwb.app.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.clipwb.core.data.LabeledShots;
import org.clipwb.core.model.Precision;
import org.clipwb.core.project.RunRecord;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.testing.LabelledImages;
import org.clipwb.testing.InMemoryPreferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkbenchProjectTest {
    @TempDir
    Path dir;

    @Test
    void inputsAreKeptInTheCatalogAndComeBackOnOpen() throws IOException {
        Path images = LabelledImages.copyInto(Files.createDirectories(dir.resolve("photos")));
        ProjectSettings settings = new ProjectSettings(images.toString(), "cat\ndog\n", "openai80", "/models/mine",
                Precision.FP16);
        try (WorkbenchProject project = WorkbenchProject.create(dir.resolve("p"), settings)) {
            assertEquals("p", project.name());
            assertEquals("cat\ndog\n", Files.readString(project.classListFile()), "runs read the class list file");
        }
        try (WorkbenchProject reopened = WorkbenchProject.open(dir.resolve("p"))) {
            assertEquals(settings, reopened.settings());
        }
    }

    @Test
    void aNewProjectTakesTheDefaultsAndNothingFromAnotherProject() throws IOException {
        try (WorkbenchProject first = WorkbenchProject.create(dir.resolve("a"),
                new ProjectSettings("/a", "x\ny\n", "/a/templates.txt", "/models/a", Precision.FP16))) {
            assertEquals("/a/templates.txt", first.settings().templates());
        }
        try (WorkbenchProject second = WorkbenchProject.create(dir.resolve("b"), ProjectSettings.of("/b", "u\nv\n"))) {
            assertEquals(PromptTemplates.DEFAULT_TEMPLATE, second.settings().templates());
            assertEquals(ModelStore.DEFAULT_MODEL, second.settings().model());
            assertEquals(Precision.FP32, second.settings().precision());
        }
    }

    @Test
    void shotsGoToTheCatalogAndToAFileTheMethodsRead() throws IOException {
        Path images = LabelledImages.copyInto(Files.createDirectories(dir.resolve("photos")));
        try (WorkbenchProject project = WorkbenchProject.create(dir.resolve("p"),
                ProjectSettings.of(images.toString(), "cat\ndog\n"))) {
            assertFalse(project.runInputs().containsKey(RunRecord.INPUT_SHOTS), "no shots, no shots input");
            Path gray = images.resolve("cat/gray.png");
            Path tiny = images.resolve("dog/tiny.png");
            project.putShot(gray, "cat", WorkbenchProject.VOUCHED);
            project.putShot(tiny, "cat", WorkbenchProject.CORRECTED);
            project.putShot(tiny, "dog", WorkbenchProject.CORRECTED); // corrected again: one shot per image

            assertEquals(2, project.shots().size());
            Map<String, String> inputs = project.runInputs();
            assertEquals(project.shotsFile().toAbsolutePath().toString(), inputs.get(RunRecord.INPUT_SHOTS));
            assertEquals(project.classListFile().toAbsolutePath().toString(), inputs.get(RunRecord.INPUT_CLASSES));
            ClassList classes = ClassList.parse("cat\ndog\n");
            List<LabeledShots.Shot> read = LabeledShots.read(project.shotsFile(), classes, images);
            assertEquals(List.of(new LabeledShots.Shot(gray, 0), new LabeledShots.Shot(tiny, 1)), read);

            project.removeShot(gray);
            project.removeShot(tiny);
            assertFalse(Files.exists(project.shotsFile()), "no shots left: no file a run would read as empty");
        }
    }

    @Test
    void importedShotsAreCheckedAgainstTheClasses() throws IOException {
        Path images = LabelledImages.copyInto(Files.createDirectories(dir.resolve("photos")));
        Path csv = Files.writeString(dir.resolve("shots.csv"), "path,label\ncat/gray.png,cat\ndog/tiny.png,dog\n");
        Path wrong = Files.writeString(dir.resolve("wrong.csv"), "cat/gray.png,horse\n");
        try (WorkbenchProject project = WorkbenchProject.create(dir.resolve("p"),
                ProjectSettings.of(images.toString(), "cat\ndog\n"))) {
            assertEquals(2, project.importShots(csv));
            assertEquals(List.of("cat", "dog"), project.shots().stream().map(shot -> shot.label()).toList());
            IOException error = assertThrows(IOException.class, () -> project.importShots(wrong));
            assertTrue(error.getMessage().contains("'horse' is not a class"), error.getMessage());
        }
    }

    @Test
    void windowStateIsKeptPerProject() throws IOException {
        try (WorkbenchProject project = WorkbenchProject.create(dir.resolve("p"), ProjectSettings.of("/x", "a\nb\n"))) {
            project.putUiSettings(Map.of("tab", "2"));
        }
        try (WorkbenchProject reopened = WorkbenchProject.open(dir.resolve("p"))) {
            assertEquals(Map.of("tab", "2"), reopened.uiSettings());
            assertEquals(ProjectSettings.of("/x", "a\nb\n"), reopened.settings(), "ui entries are not inputs");
        }
    }

    @Test
    void recentProjectsAreNewestFirstWithoutDuplicatesOrVanishedFolders() throws IOException {
        RecentProjects recent = new RecentProjects(new InMemoryPreferences().node("w"));
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Path gone = Files.createDirectories(dir.resolve("gone"));
        recent.add(a);
        recent.add(gone);
        recent.add(b);
        recent.add(a);
        Files.delete(gone);
        assertEquals(List.of(a, b), recent.list());
        for (int i = 0; i < RecentProjects.LIMIT + 2; i++) {
            recent.add(Files.createDirectories(dir.resolve("p" + i)));
        }
        assertEquals(RecentProjects.LIMIT, recent.list().size());
        assertEquals(dir.resolve("p" + (RecentProjects.LIMIT + 1)), recent.latest());
    }
}
