package org.clipwb.app.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipwb.core.model.Precision;
import org.clipwb.core.store.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeroShotFormTest {
    @TempDir
    Path dir;

    private final ZeroShotForm form = new ZeroShotForm();

    @Test
    void aNewFormRunsTheDefaultModelUnlessAnotherIsChosen() {
        assertEquals(ModelStore.DEFAULT_MODEL, form.modelSpecProperty().get());
        form.imageFolderProperty().set(dir.toString());
        form.classListProperty().set("cat\ndog\n");
        assertEquals(ModelStore.DEFAULT_MODEL, form.requestProperty().get().modelSpec());
    }

    @Test
    void validInputsMakeARequest() {
        fill();
        RunRequest request = form.requestProperty().get();
        assertNotNull(request);
        assertEquals(dir.toAbsolutePath().normalize(), request.folder());
        assertEquals("openai/clip-vit-base-patch32", request.modelSpec());
        assertEquals(List.of("cat", "dog"), request.classes().names());
        assertEquals(List.of("a photo of a {}."), request.templates().templates());
        assertEquals(Precision.FP32, request.precision(), "the reference numbers unless fp16 is chosen");
        assertNull(form.firstProblemProperty().get());
    }

    @Test
    void anotherPrecisionAsksForAnotherModelWithTheSameClassifier() {
        fill();
        RunRequest full = form.requestProperty().get();
        form.precisionProperty().set(Precision.FP16);
        RunRequest half = form.requestProperty().get();
        assertEquals(Precision.FP16, half.precision());
        assertFalse(full.sameModel(half));
        assertTrue(full.sameClassifier(half));
        form.precisionProperty().set(Precision.FP32);
        assertTrue(full.sameModel(form.requestProperty().get()));
    }

    @Test
    void invalidClassListNamesTheLineAndBlocksTheRun() {
        fill();
        form.classListProperty().set("cat\n# pets\ndog\nCat\n");
        assertNull(form.requestProperty().get());
        String error = form.classListCheck().get().error();
        assertTrue(error.contains("line 4") && error.contains("duplicates line 1"), error);
        assertEquals(error, form.firstProblemProperty().get());
    }

    @Test
    void folderMustExistAndBeAFolder() throws IOException {
        fill();
        form.imageFolderProperty().set("");
        assertEquals("Choose an image folder", form.folderCheck().get().error());
        form.imageFolderProperty().set(dir.resolve("missing").toString());
        assertTrue(form.folderCheck().get().error().startsWith("Folder not found: "));
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        form.imageFolderProperty().set(file.toString());
        assertTrue(form.folderCheck().get().error().endsWith("is a file, not a folder"));
        assertNull(form.requestProperty().get());
    }

    @Test
    void templatesAcceptTheBuiltInSetAFileOrOneTemplate() throws IOException {
        fill();
        form.templatesProperty().set("openai80");
        assertEquals(80, form.requestProperty().get().templates().templates().size());
        Path file = Files.writeString(dir.resolve("templates.txt"), "# mine\na {} photo.\nart of a {}.\n");
        form.templatesProperty().set(file.toString());
        assertEquals(List.of("a {} photo.", "art of a {}."), form.requestProperty().get().templates().templates());
        form.templatesProperty().set("a photo");
        assertNull(form.requestProperty().get());
        assertTrue(form.templatesCheck().get().error().contains("neither openai80"),
                form.templatesCheck().get().error());
    }

    @Test
    void blankModelIsAProblem() {
        fill();
        form.modelSpecProperty().set("  ");
        assertEquals("Choose a model", form.firstProblemProperty().get());
    }

    @Test
    void sameClassifierComparesClassesAndTemplates() {
        fill();
        RunRequest first = form.requestProperty().get();
        form.imageFolderProperty().set(dir.resolve(".").toString());
        assertTrue(first.sameClassifier(form.requestProperty().get()));
        form.classListProperty().set("cat\ndog\nbird");
        assertEquals(false, first.sameClassifier(form.requestProperty().get()));
    }

    private void fill() {
        form.imageFolderProperty().set(dir.toString());
        form.modelSpecProperty().set("openai/clip-vit-base-patch32");
        form.classListProperty().set("cat\ndog\n");
    }
}
