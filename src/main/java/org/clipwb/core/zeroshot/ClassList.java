package org.clipwb.core.zeroshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.util.CommentedLines;

/**
 * The classes a user wants to tell apart, in their order. Read from a class-list file (one class per line,
 * {@code #} comments and blank lines ignored) or from text typed in the workbench.
 */
public final class ClassList {
    private final List<String> names;
    private final Map<String, Integer> indexByKey = new HashMap<>();

    private ClassList(List<String> names) {
        this.names = List.copyOf(names);
        for (int i = 0; i < names.size(); i++) {
            indexByKey.put(key(names.get(i)), i);
        }
    }

    /** Reads a class-list file; a duplicate or empty name is an error giving the file and line. */
    public static ClassList read(Path file) throws IOException {
        try {
            return fromLines(CommentedLines.read(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses class-list text (as typed in the workbench); errors name the line. */
    public static ClassList parse(String text) {
        return fromLines(CommentedLines.parse(text));
    }

    private static ClassList fromLines(List<CommentedLines.Line> lines) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (CommentedLines.Line line : lines) {
            String name = line.text();
            if (name.codePoints().noneMatch(Character::isLetterOrDigit)) {
                throw new IllegalArgumentException("line " + line.number() + ": class name \"" + name
                        + "\" is empty (it has no letters or digits)");
            }
            Integer previous = firstLine.putIfAbsent(key(name), line.number());
            if (previous != null) {
                throw new IllegalArgumentException("line " + line.number() + ": class \"" + name
                        + "\" duplicates line " + previous + " (names are compared ignoring case, '_' and '-')");
            }
            names.add(name);
        }
        if (names.size() < 2) {
            throw new IllegalArgumentException("a class list needs at least two classes, found " + names.size());
        }
        return new ClassList(names);
    }

    /** Class names in order. */
    public List<String> names() {
        return names;
    }

    /** Number of classes. */
    public int size() {
        return names.size();
    }

    /** The class a folder name or label denotes, compared ignoring case, '_' and '-' (so "golden_retriever" works). */
    public Optional<Integer> indexOf(String label) {
        return Optional.ofNullable(indexByKey.get(key(label)));
    }

    private static String key(String name) {
        return name.replace('_', ' ').replace('-', ' ').strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
