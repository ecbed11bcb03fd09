package org.clipwb.core.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTemplatesTest {
    @TempDir
    Path temp;

    @Test
    void openAiSetHasTheEightyTemplatesInOrder() throws IOException {
        PromptTemplates templates = PromptTemplates.resolve("openai80");
        assertEquals(80, templates.templates().size());
        assertEquals("a bad photo of a {}.", templates.templates().get(0));
        assertEquals("a photo of a {}.", templates.templates().get(39));
        assertEquals("a tattoo of the {}.", templates.templates().get(79));
        assertEquals(80, templates.templates().stream().distinct().count());
    }

    @Test
    void literalTemplateAndPrompts() throws IOException {
        PromptTemplates templates = PromptTemplates.resolve("{} texture.");
        assertEquals(List.of("banded texture."), templates.prompts("banded"));
    }

    @Test
    void fileTemplatesWithLineNumbersInErrors() throws IOException {
        Path file = temp.resolve("templates.txt");
        Files.writeString(file, "# mine\na photo of a {}.\n\na drawing of a {}.\n");
        assertEquals(List.of("a photo of a cat.", "a drawing of a cat."),
                PromptTemplates.resolve(file.toString()).prompts("cat"));
        Files.writeString(file, "a photo of a {}.\na drawing\n");
        IOException error = assertThrows(IOException.class, () -> PromptTemplates.read(file));
        assertTrue(error.getMessage().contains("line 2"), error.getMessage());
    }

    @Test
    void unknownSpecIsExplained() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> PromptTemplates.resolve("no-such-file.txt"));
        assertTrue(error.getMessage().contains("openai80"), error.getMessage());
    }

    @Test
    void templatesTypedOnSeveralLinesAreReadLikeAFile() throws Exception {
        PromptTemplates typed = PromptTemplates.resolve("# the sample project's template\na photo of a {} shape.\n\n"
                + "a drawing of a {}.\n");
        assertEquals(List.of("a photo of a {} shape.", "a drawing of a {}."), typed.templates());
        IOException error = assertThrows(IOException.class,
                () -> PromptTemplates.resolve("a photo of a {}.\na photo\n"));
        assertEquals("the templates: line 2: template \"a photo\" has no {} where the class name goes",
                error.getMessage());
    }
}
