package org.clipwb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipwb.app.zeroshot.ZeroShotForm;
import org.clipwb.core.model.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupOptionsTest {
    @TempDir
    Path dir;

    @Test
    void givenOptionsFillTheForm() throws IOException {
        Path classes = Files.writeString(dir.resolve("classes.txt"), "cat\ndog\n");
        StartupOptions options = StartupOptions.parse(List.of("--images=" + dir, "--model=org/model",
                "--precision=fp16", "--classes=" + classes, "--templates=openai80", "--run"));
        assertTrue(options.run());
        ZeroShotForm form = new ZeroShotForm();
        form.modelSpecProperty().set("kept/unless-given");
        options.applyTo(form);
        assertEquals(dir.toString(), form.imageFolderProperty().get());
        assertEquals("org/model", form.modelSpecProperty().get());
        assertEquals(Precision.FP16, form.precisionProperty().get());
        assertEquals("openai80", form.templatesProperty().get());
        assertEquals("cat\ndog\n", form.classListProperty().get());
    }

    @Test
    void missingOptionsLeaveTheFormAlone() throws IOException {
        StartupOptions options = StartupOptions.parse(List.of());
        assertFalse(options.run());
        ZeroShotForm form = new ZeroShotForm();
        form.classListProperty().set("remembered");
        form.precisionProperty().set(Precision.FP16);
        options.applyTo(form);
        assertEquals("remembered", form.classListProperty().get());
        assertEquals(Precision.FP16, form.precisionProperty().get());
    }

    @Test
    void unknownOrEmptyOptionsAreErrorsListingTheOptions() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> StartupOptions.parse(List.of("--image=x")));
        assertTrue(unknown.getMessage().contains("--images=DIR"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StartupOptions.parse(List.of("--model=")));
        assertThrows(IllegalArgumentException.class, () -> StartupOptions.parse(List.of("photos")));
    }

    @Test
    void anUnknownPrecisionSaysWhichOnesThereAre() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> StartupOptions.parse(List.of("--precision=bf16")));
        assertTrue(error.getMessage().startsWith("--precision: precision must be fp32 or fp16, not \"bf16\""),
                error.getMessage());
    }

    @Test
    void unreadableClassFileNamesTheFile() {
        StartupOptions options = StartupOptions.parse(List.of("--classes=" + dir.resolve("none.txt")));
        IOException error = assertThrows(IOException.class, () -> options.applyTo(new ZeroShotForm()));
        assertTrue(error.getMessage().contains("none.txt"), error.getMessage());
    }
}
