package org.clipwb.core.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Reads and validates the Hugging Face / OpenCLIP tokenizer files {@code vocab.json} and {@code merges.txt}. */
final class TokenizerFiles {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private TokenizerFiles() {
    }

    /**
     * One {@code "token": id} entry of vocab.json with where it was read (files are often a single line). The location
     * is formatted only for an error: formatting 49,408 of them was a third of the time to read CLIP's vocabulary.
     */
    private record Entry(String token, int id, JsonLocation location) {
        String position() {
            return TokenizerFiles.position(location);
        }
    }

    /** The number of entries of vocab.json and the ids of those of the tokens asked for that it has. */
    record Summary(int size, Map<String, Integer> idOfToken) {
    }

    /**
     * Reads vocab.json (a JSON object token → id) into an array indexed by id. Ids must be exactly 0..N-1, because the
     * text model's embedding table is indexed by them.
     */
    static String[] readVocabulary(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        readEntries(file, entries::add);
        return indexById(file, entries);
    }

    /**
     * The size of vocab.json and the ids of {@code tokens}, without building the vocabulary; ids are not checked
     * here, {@link #readVocabulary} checks them.
     */
    static Summary summarise(Path file, List<String> tokens) throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        int[] size = {0};
        readEntries(file, entry -> {
            size[0]++;
            if (tokens.contains(entry.token())) {
                ids.put(entry.token(), entry.id());
            }
        });
        return new Summary(size[0], Map.copyOf(ids));
    }

    private static void readEntries(Path file, Consumer<Entry> sink) throws IOException {
        requireRegularFile(file, "vocabulary (vocab.json)");
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed(file, position(parser), "expected a JSON object mapping each token to its integer id");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String token = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
                        || parser.getIntValue() < 0) {
                    String id = value == JsonToken.VALUE_STRING ? quoted(parser.getText()) : parser.getText();
                    throw malformed(file, position(parser),
                            "token " + quoted(token) + " has id " + id + "; ids must be non-negative integers");
                }
                sink.accept(new Entry(token, parser.getIntValue(), parser.currentTokenLocation()));
            }
            if (parser.nextToken() != null) {
                throw malformed(file, position(parser), "unexpected content after the vocabulary object");
            }
        } catch (JsonProcessingException e) {
            throw malformed(file, position(e.getLocation()), "not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String[] indexById(Path file, List<Entry> entries) throws IOException {
        String[] tokenOfId = new String[entries.size()];
        Map<String, String> positionOfToken = new HashMap<>();
        for (Entry entry : entries) {
            String earlier = positionOfToken.putIfAbsent(entry.token(), entry.position());
            if (earlier != null) {
                throw malformed(file, entry.position(), "token " + quoted(entry.token()) + " already appears at " + earlier);
            }
            // With no duplicates, ids are 0..N-1 exactly when none is N or more.
            if (entry.id() >= tokenOfId.length) {
                throw malformed(file, entry.position(), "token " + quoted(entry.token()) + " has id " + entry.id()
                        + ", but the " + tokenOfId.length + " tokens must have the ids 0.." + (tokenOfId.length - 1));
            }
            if (tokenOfId[entry.id()] != null) {
                throw malformed(file, entry.position(), "id " + entry.id() + " of token " + quoted(entry.token())
                        + " is already used by " + quoted(tokenOfId[entry.id()]));
            }
            tokenOfId[entry.id()] = entry.token();
        }
        return tokenOfId;
    }

    /**
     * Reads merges.txt: a {@code #version} header line, then one merge {@code "left right"} per line, the rank being the
     * line order. Blank lines are skipped: the reference ranks them as an empty pair that never occurs, and
     * only the relative order of ranks matters. Every merge must produce a token of {@code vocabulary}, so that encoding can never meet an unknown
     * symbol.
     */
    static Map<SymbolPair, Integer> readMerges(Path file, Path vocabularyFile, Map<String, Integer> vocabulary)
            throws IOException {
        requireRegularFile(file, "merge list (merges.txt)");
        String[] lines = readUtf8(file).split("\n", -1);
        if (!lines[0].startsWith("#version")) {
            throw malformed(file, 1, "expected the header line '#version: ...' of a BPE merge list");
        }
        Map<SymbolPair, Integer> ranks = new HashMap<>();
        Map<SymbolPair, Integer> lineOfMerge = new HashMap<>();
        for (int index = 1; index < lines.length; index++) {
            int lineNumber = index + 1;
            String merge = lines[index].strip();
            if (merge.isEmpty()) {
                continue;
            }
            String[] symbols = SPACES.split(merge);
            if (symbols.length != 2) {
                throw malformed(file, lineNumber, "expected two symbols separated by a space, found "
                        + symbols.length + " in " + quoted(merge));
            }
            SymbolPair pair = new SymbolPair(symbols[0], symbols[1]);
            if (!vocabulary.containsKey(pair.merged())) {
                throw malformed(file, lineNumber, "the merge " + quoted(merge) + " makes " + quoted(pair.merged())
                        + ", which " + vocabularyFile + " lacks; the two files do not belong together");
            }
            Integer earlier = lineOfMerge.putIfAbsent(pair, lineNumber);
            if (earlier != null) {
                throw malformed(file, lineNumber, "the merge " + quoted(merge) + " already appears on line " + earlier);
            }
            ranks.put(pair, ranks.size());
        }
        return ranks;
    }

    /**
     * The file as strict UTF-8. Decoded in one piece rather than through a Reader because a Reader decodes ahead of
     * the line it returns, which would blame the wrong line for a bad byte.
     */
    private static String readUtf8(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        CharBuffer chars = CharBuffer.allocate(bytes.remaining()); // UTF-8 never yields more chars than bytes
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        CoderResult result = decoder.decode(bytes, chars, true);
        if (!result.isError()) {
            result = decoder.flush(chars);
        }
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < bytes.position(); i++) {
                if (bytes.get(i) == '\n') {
                    line++;
                }
            }
            throw malformed(file, line, "not valid UTF-8 text");
        }
        return chars.flip().toString();
    }

    private static void requireRegularFile(Path file, String role) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "the CLIP tokenizer's " + role + " is missing or not a file");
        }
    }

    private static String position(JsonParser parser) {
        return position(parser.currentTokenLocation());
    }

    private static String position(JsonLocation location) {
        return location == null ? "(position unknown)" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static IOException malformed(Path file, String position, String problem) {
        return new IOException(file + " " + position + ": " + problem);
    }

    private static IOException malformed(Path file, int line, String problem) {
        return malformed(file, "line " + line, problem);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }
}
