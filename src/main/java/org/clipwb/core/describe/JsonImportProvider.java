package org.clipwb.core.describe;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Descriptions written elsewhere (by hand, by another tool, CuPL's shipped files), read from a JSON file:
 * <pre>
 * {
 *   "classes": {"cat": ["A cat has pointed ears.", "..."]},
 *   "images":  {"photos/cat-001.jpg": "a grey cat asleep on a sofa"},
 *   "groups":  [{"images": ["photos/a.jpg", "photos/b.jpg"], "description": "cats indoors"}]
 * }
 * </pre>
 * Every key is optional. Relative image paths are relative to the JSON file's folder; a group matches whatever the
 * order of its images. Prompts and sampling settings do not apply: the file's texts are returned as they are.
 */
public final class JsonImportProvider implements DescriptionProvider {
    private static final int LISTED_NAMES = 10;

    /** The file's layout, bound by Jackson, which reports the line and column of anything that does not fit. */
    private record ImportFile(Map<String, List<String>> classes, Map<String, String> images, List<Group> groups) {
    }

    private record Group(List<String> images, String description) {
    }

    private final Path file;
    private final Map<String, List<String>> classes;
    private final Map<Path, String> images = new HashMap<>();
    private final Map<List<Path>, String> groups = new HashMap<>();

    private JsonImportProvider(Path file, ImportFile content) throws DescriptionException {
        this.file = file;
        this.classes = content.classes() == null ? Map.of() : content.classes();
        for (Map.Entry<String, List<String>> entry : classes.entrySet()) {
            if (entry.getValue() == null || entry.getValue().isEmpty()
                    || entry.getValue().stream().anyMatch(text -> text == null || text.isBlank())) {
                throw invalid("\"classes\".\"" + entry.getKey() + "\" must be a list of non-empty texts");
            }
        }
        if (content.images() != null) {
            for (Map.Entry<String, String> entry : content.images().entrySet()) {
                requireText(entry.getValue(), "\"images\".\"" + entry.getKey() + "\"");
                images.put(resolve(entry.getKey()), entry.getValue());
            }
        }
        List<Group> groupList = content.groups() == null ? List.of() : content.groups();
        for (int g = 0; g < groupList.size(); g++) {
            Group group = groupList.get(g);
            String where = "\"groups\"[" + g + "]";
            if (group == null || group.images() == null || group.images().isEmpty()) {
                throw invalid(where + " needs \"images\", a list of image paths");
            }
            requireText(group.description(), where + ".\"description\"");
            groups.put(groupKey(group.images().stream().map(this::resolve).toList()), group.description());
        }
    }

    /**
     * Reads and checks a descriptions file.
     *
     * @throws DescriptionException naming the file, the line and column, and what is wrong
     */
    public static JsonImportProvider read(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            return new JsonImportProvider(file, json.readValue(Files.readAllBytes(file), ImportFile.class));
        } catch (NoSuchFileException e) {
            throw new DescriptionException("the descriptions file " + file + " does not exist", e);
        } catch (JsonProcessingException e) {
            throw new DescriptionException(file + ": " + location(e) + ": " + problem(e)
                    + ". Expected {\"classes\": {name: [texts]}, \"images\": {path: text}, \"groups\": [{\"images\": "
                    + "[paths], \"description\": text}]}, every key optional", e);
        }
    }

    private static String location(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        String lineColumn = where == null ? "somewhere" : "line " + where.getLineNr() + ", column " + where.getColumnNr();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return lineColumn + " (at " + path(mapping.getPath()) + ")";
        }
        return lineColumn;
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            path.append(reference.getFieldName() != null
                    ? (path.length() == 0 ? "" : ".") + "\"" + reference.getFieldName() + "\""
                    : "[" + reference.getIndex() + "]");
        }
        return path.toString();
    }

    private static String problem(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown key \"" + unknown.getPropertyName() + "\"";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> target = mismatch.getTargetType();
            return "expected " + (target == String.class ? "a text"
                    : List.class.isAssignableFrom(target) ? "a list"
                    : "an object");
        }
        return e.getOriginalMessage();
    }

    private DescriptionException invalid(String what) {
        return new DescriptionException(file + ": " + what);
    }

    private void requireText(String text, String where) throws DescriptionException {
        if (text == null || text.isBlank()) {
            throw invalid(where + " must be a non-empty text");
        }
    }

    private Path resolve(String image) {
        return file.toAbsolutePath().getParent().resolve(image).normalize();
    }

    private static List<Path> groupKey(List<Path> images) {
        return images.stream().map(image -> image.toAbsolutePath().normalize()).sorted().toList();
    }

    @Override
    public String id() {
        return "import " + file.toAbsolutePath().normalize();
    }

    @Override
    public List<String> describeClass(String className, DescriptionRequest request) throws DescriptionException {
        List<String> descriptions = classes.get(className);
        if (descriptions == null) {
            throw missing("descriptions of the class \"" + className + "\"", "\"classes\"", classes.keySet());
        }
        return descriptions;
    }

    @Override
    public String describeImage(Path image, String prompt) throws DescriptionException {
        String description = images.get(image.toAbsolutePath().normalize());
        if (description == null) {
            throw missing("a description of the image " + image, "\"images\"",
                    images.keySet().stream().map(Path::toString).toList());
        }
        return description;
    }

    @Override
    public String describeGroup(List<Path> images, String prompt) throws DescriptionException {
        String description = groups.get(groupKey(images));
        if (description == null) {
            throw missing("a description of the group " + images, "\"groups\"",
                    groups.keySet().stream().map(List::toString).toList());
        }
        return description;
    }

    private DescriptionException missing(String what, String key, Collection<String> present) {
        String listed = present.isEmpty() ? "it has no " + key + " at all"
                : "its " + key + " has " + present.stream().sorted().limit(LISTED_NAMES)
                        .collect(Collectors.joining(", ")) + (present.size() > LISTED_NAMES ? ", …" : "");
        return new DescriptionException(file + " has no " + what + " (" + listed + "); add it to the file or "
                + "describe with another provider");
    }
}
