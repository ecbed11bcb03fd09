package org.clipwb.core.describe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonImportProviderTest {
    @TempDir
    Path temp;

    private Path write(String json) throws Exception {
        Path file = temp.resolve("descriptions.json");
        Files.writeString(file, json);
        return file;
    }

    private String error(String json) throws Exception {
        Path file = write(json);
        return assertThrows(DescriptionException.class, () -> JsonImportProvider.read(file)).getMessage();
    }

    @Test
    void classesImagesAndGroupsAreLookedUp() throws Exception {
        Path elsewhere = temp.resolve("other/dog.jpg").toAbsolutePath();
        Path file = write("""
                {
                  "classes": {"cat": ["A cat has whiskers.", "A cat is furry."]},
                  "images": {"photos/cat-1.jpg": "a grey cat", "%s": "a dog"},
                  "groups": [{"images": ["photos/a.jpg", "photos/b.jpg"], "description": "two cats"}]
                }
                """.formatted(elsewhere.toString().replace("\\", "\\\\")));
        JsonImportProvider imported = JsonImportProvider.read(file);

        assertEquals("import " + file.toAbsolutePath(), imported.id());
        assertEquals(List.of("A cat has whiskers.", "A cat is furry."),
                imported.describeClass("cat", DescriptionRequest.CUPL));
        assertEquals("a grey cat", imported.describeImage(temp.resolve("photos/./cat-1.jpg"), "ignored prompt"),
                "relative to the file's folder");
        assertEquals("a dog", imported.describeImage(elsewhere, "ignored"));
        assertEquals("two cats", imported.describeGroup(List.of(temp.resolve("photos/b.jpg"),
                temp.resolve("photos/a.jpg")), "ignored"), "in any order");
    }

    @Test
    void somethingMissingIsNamedWithWhatTheFileHas() throws Exception {
        JsonImportProvider imported = JsonImportProvider.read(write("{\"classes\": {\"dog\": [\"A dog.\"]}}"));

        String noClass = assertThrows(DescriptionException.class,
                () -> imported.describeClass("cat", DescriptionRequest.CUPL)).getMessage();
        assertTrue(noClass.contains("has no descriptions of the class \"cat\" (its \"classes\" has dog)"), noClass);
        assertTrue(noClass.contains("another provider"), noClass);

        String noImages = assertThrows(DescriptionException.class,
                () -> imported.describeImage(temp.resolve("a.jpg"), "p")).getMessage();
        assertTrue(noImages.contains("it has no \"images\" at all"), noImages);
    }

    @Test
    void syntaxErrorsGiveLineAndColumn() throws Exception {
        String message = error("{\n  \"classes\": {\n    \"cat\": [\"A cat.\",]\n  }\n}");
        assertTrue(message.startsWith(temp.resolve("descriptions.json") + ": line 3, column 22 (at \"classes\".\"cat\"[1]): Unexpected character"), message);
    }

    @Test
    void wrongShapesGiveLineColumnAndPath() throws Exception {
        String text = error("{\n  \"classes\": {\n    \"cat\": \"A cat.\"\n  }\n}");
        assertTrue(text.contains("line 3, column 12 (at \"classes\".\"cat\"): expected a list"), text);

        String number = error("{\"groups\": [{\"images\": [\"a.jpg\"], \"description\": [1]}]}");
        assertTrue(number.contains("(at \"groups\"[0].\"description\"): expected a text"), number);

        String unknown = error("{\n\"image\": {}}");
        assertTrue(unknown.contains(": line 2, column ") && unknown.contains("(at \"image\"): unknown key \"image\""), unknown);
        assertTrue(unknown.contains("Expected {\"classes\""), unknown);

        String duplicate = error("{\"images\": {\"a.jpg\": \"x\", \"a.jpg\": \"y\"}}");
        assertTrue(duplicate.contains("Duplicate field 'a.jpg'"), duplicate);
    }

    @Test
    void emptyDescriptionsAreRefused() throws Exception {
        assertTrue(error("{\"classes\": {\"cat\": []}}").endsWith(
                "\"classes\".\"cat\" must be a list of non-empty texts"));
        assertTrue(error("{\"images\": {\"a.jpg\": \" \"}}").endsWith("\"images\".\"a.jpg\" must be a non-empty text"));
        assertTrue(error("{\"groups\": [{\"description\": \"x\"}]}").endsWith(
                "\"groups\"[0] needs \"images\", a list of image paths"));
    }

    @Test
    void aMissingFileIsSaidSo() {
        String message = assertThrows(DescriptionException.class,
                () -> JsonImportProvider.read(temp.resolve("nope.json"))).getMessage();
        assertTrue(message.contains("nope.json does not exist"), message);
    }
}
