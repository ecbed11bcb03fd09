package org.clipwb.core.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassListTest {
    @TempDir
    Path temp;

    @Test
    void readsNamesSkippingCommentsAndBlankLines() throws IOException {
        Path file = write("\uFEFF# pets\r\ncat\n\n  golden retriever  \n# end\nhot-air balloon\n");
        ClassList classes = ClassList.read(file);
        assertEquals(List.of("cat", "golden retriever", "hot-air balloon"), classes.names());
        assertEquals(Optional.of(1), classes.indexOf("Golden_Retriever"));
        assertEquals(Optional.of(2), classes.indexOf("hot_air_balloon"));
        assertEquals(Optional.empty(), classes.indexOf("dog"));
    }

    @Test
    void duplicateNameGivesBothLines() throws IOException {
        Path file = write("cat\ndog\n\nCat\n");
        IOException error = assertThrows(IOException.class, () -> ClassList.read(file));
        assertTrue(error.getMessage().contains("line 4"), error.getMessage());
        assertTrue(error.getMessage().contains("duplicates line 1"), error.getMessage());
        assertTrue(error.getMessage().startsWith(file.toString()), error.getMessage());
    }

    @Test
    void emptyNameGivesItsLine() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ClassList.parse("cat\n...\ndog"));
        assertTrue(error.getMessage().contains("line 2"), error.getMessage());
        assertTrue(error.getMessage().contains("empty"), error.getMessage());
    }

    @Test
    void needsTwoClassesAndUtf8() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> ClassList.parse("# only\ncat\n"));
        Path latin1 = temp.resolve("latin1.txt");
        Files.write(latin1, "caf\u00e9\nthé\n".getBytes(StandardCharsets.ISO_8859_1));
        IOException error = assertThrows(IOException.class, () -> ClassList.read(latin1));
        assertTrue(error.getMessage().contains("not UTF-8"), error.getMessage());
        assertTrue(assertThrows(IOException.class, () -> ClassList.read(temp.resolve("missing.txt")))
                .getMessage().contains("does not exist"));
    }

    private Path write(String content) throws IOException {
        Path file = temp.resolve("classes.txt");
        Files.writeString(file, content);
        return file;
    }
}
