package org.clipwb.core.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.IntStream;

/**
 * CLIP's byte-level BPE tokenizer, matching OpenAI CLIP's {@code simple_tokenizer.py} and OpenCLIP's truncation
 * (methods.md §1.1.5), except that ftfy's text repair is approximated (see {@code TextCleaner}). Loaded from the
 * {@code vocab.json} and {@code merges.txt} that CLIP models ship with. Instances are immutable and safe to use from
 * several threads.
 */
public final class ClipTokenizer {
    /** The context length of all OpenAI CLIP text towers. */
    public static final int DEFAULT_CONTEXT_LENGTH = 77;
    /** Start-of-text marker; its id is looked up in the vocabulary. */
    public static final String START_OF_TEXT = "<|startoftext|>";
    /** End-of-text marker; its id is looked up in the vocabulary. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    /** The reference caches every word forever; the bound keeps memory flat over long free-text runs. */
    private static final int MAX_CACHED_WORDS = 100_000;

    private final String[] tokenOfId;
    private final Map<String, Integer> idOfToken;
    private final Map<SymbolPair, Integer> mergeRanks;
    private final int sotId;
    private final int eotId;
    private final int contextLength;
    /** Word piece → its BPE ids; shared by the instances that {@link #withContextLength} derives. */
    private final ConcurrentMap<String, int[]> idsOfWord;

    private ClipTokenizer(String[] tokenOfId, Map<String, Integer> idOfToken, Map<SymbolPair, Integer> mergeRanks,
            int sotId, int eotId, int contextLength, ConcurrentMap<String, int[]> idsOfWord) {
        this.tokenOfId = tokenOfId;
        this.idOfToken = idOfToken;
        this.mergeRanks = mergeRanks;
        this.sotId = sotId;
        this.eotId = eotId;
        this.contextLength = contextLength;
        this.idsOfWord = idsOfWord;
    }

    /**
     * Loads a tokenizer from a vocabulary (JSON object token → id) and a merge list ({@code #version} header, then one
     * merge per line in rank order), with the default context length of 77.
     *
     * @throws IOException naming the file (and line) when a file is missing, malformed, or the two do not fit together
     */
    public static ClipTokenizer load(Path vocabJson, Path mergesTxt) throws IOException {
        String[] tokenOfId = TokenizerFiles.readVocabulary(vocabJson);
        Map<String, Integer> idOfToken = new HashMap<>(tokenOfId.length * 2);
        for (int id = 0; id < tokenOfId.length; id++) {
            idOfToken.put(tokenOfId[id], id);
        }
        requireByteSymbols(vocabJson, idOfToken);
        int sotId = requireSpecialToken(vocabJson, idOfToken, START_OF_TEXT);
        int eotId = requireSpecialToken(vocabJson, idOfToken, END_OF_TEXT);
        Map<SymbolPair, Integer> mergeRanks = TokenizerFiles.readMerges(mergesTxt, vocabJson, idOfToken);

        // The reference seeds its cache with the markers, so that a marker written in the text becomes its own id.
        ConcurrentMap<String, int[]> idsOfWord = new ConcurrentHashMap<>();
        idsOfWord.put(START_OF_TEXT, new int[] {sotId});
        idsOfWord.put(END_OF_TEXT, new int[] {eotId});
        return new ClipTokenizer(tokenOfId, idOfToken, mergeRanks, sotId, eotId, DEFAULT_CONTEXT_LENGTH, idsOfWord);
    }

    /** Loads {@code vocab.json} and {@code merges.txt} from a model folder; see {@link #load(Path, Path)}. */
    public static ClipTokenizer fromDirectory(Path modelDirectory) throws IOException {
        return load(modelDirectory.resolve("vocab.json"), modelDirectory.resolve("merges.txt"));
    }

    /** What a model needs of its vocabulary before any text is encoded. */
    public record VocabularyFacts(int size, int endOfTextId) {
    }

    /**
     * The size of a model folder's {@code vocab.json} and its end-of-text id, read without building the tokenizer:
     * a model that only embeds images needs no more (see {@code Clip}). The full checks run when the tokenizer loads.
     *
     * @throws IOException naming the file when it is missing, malformed or lacks {@value #END_OF_TEXT}
     */
    public static VocabularyFacts vocabularyFacts(Path modelDirectory) throws IOException {
        Path vocabJson = modelDirectory.resolve("vocab.json");
        TokenizerFiles.Summary summary = TokenizerFiles.summarise(vocabJson, List.of(END_OF_TEXT));
        return new VocabularyFacts(summary.size(), requireSpecialToken(vocabJson, summary.idOfToken(), END_OF_TEXT));
    }

    /** The same tokenizer producing rows of {@code contextLength} ids (at least 2: start and end markers). */
    public ClipTokenizer withContextLength(int contextLength) {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length must be at least 2 (start and end markers), got " + contextLength);
        }
        return new ClipTokenizer(tokenOfId, idOfToken, mergeRanks, sotId, eotId, contextLength, idsOfWord);
    }

    /** BPE ids of {@code text} after CLIP's cleaning, without start/end markers and without length limit. */
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        IntStream.Builder ids = IntStream.builder();
        for (String piece : PreTokenizer.wordPieces(text)) {
            for (int id : idsOfPiece(piece)) {
                ids.add(id);
            }
        }
        return ids.build().toArray();
    }

    /**
     * One model input row: start marker, BPE ids, end marker, zero-padded to {@link #contextLength()}. A text that is
     * too long keeps its first ids and ends with the end marker (OpenCLIP's behaviour).
     */
    public int[] tokenize(String text) {
        int[] ids = encode(text);
        int kept = Math.min(ids.length, contextLength - 2);
        int[] row = new int[contextLength];
        row[0] = sotId;
        System.arraycopy(ids, 0, row, 1, kept);
        row[kept + 1] = eotId;
        return row;
    }

    /** {@link #tokenize(String)} for each text, in order. */
    public int[][] tokenize(List<String> texts) {
        int[][] rows = new int[texts.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = tokenize(texts.get(i));
        }
        return rows;
    }

    /**
     * The text that {@code ids} spell, for display and debugging: like the reference, every end of word becomes a
     * space, markers appear literally and padding ids (0) are decoded like any other id.
     *
     * @throws IllegalArgumentException when an id lies outside the vocabulary
     */
    public String decode(int[] ids) {
        StringBuilder symbols = new StringBuilder();
        for (int id : ids) {
            if (id < 0 || id >= tokenOfId.length) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (tokenOfId.length - 1) + ")");
            }
            symbols.append(tokenOfId[id]);
        }
        return ByteLevelAlphabet.decodeUtf8(symbols).replace(PreTokenizer.END_OF_WORD, " ");
    }

    /** Id of {@value #START_OF_TEXT}. */
    public int sotId() {
        return sotId;
    }

    /** Id of {@value #END_OF_TEXT}. */
    public int eotId() {
        return eotId;
    }

    /** Number of tokens in the vocabulary (ids are 0..vocabSize-1). */
    public int vocabSize() {
        return tokenOfId.length;
    }

    /** Length of the rows that {@link #tokenize(String)} produces. */
    public int contextLength() {
        return contextLength;
    }

    private int[] idsOfPiece(String piece) {
        int[] ids = idsOfWord.get(piece);
        if (ids == null) {
            ids = bytePairEncode(PreTokenizer.byteSymbols(piece));
            if (idsOfWord.size() < MAX_CACHED_WORDS) {
                idsOfWord.putIfAbsent(piece, ids);
            }
        }
        return ids;
    }

    /** Repeatedly merges the adjacent pair of lowest rank in a piece's {@link PreTokenizer#byteSymbols}. */
    private int[] bytePairEncode(List<String> symbols) {
        while (symbols.size() > 1) {
            SymbolPair best = null;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                SymbolPair pair = new SymbolPair(symbols.get(i), symbols.get(i + 1));
                Integer rank = mergeRanks.get(pair);
                if (rank != null && rank < bestRank) {
                    best = pair;
                    bestRank = rank;
                }
            }
            if (best == null) {
                break;
            }
            symbols = best.mergeAll(symbols);
        }

        // Every single-byte symbol and every merge result is in the vocabulary (checked when loading).
        int[] ids = new int[symbols.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = idOfToken.get(symbols.get(i));
        }
        return ids;
    }

    /** BPE starts from single bytes, so the vocabulary must hold all 256 byte symbols alone and as word ends. */
    private static void requireByteSymbols(Path vocabJson, Map<String, Integer> idOfToken) throws IOException {
        for (int b = 0; b < 256; b++) {
            String symbol = String.valueOf(ByteLevelAlphabet.charOf(b));
            for (String token : List.of(symbol, symbol + PreTokenizer.END_OF_WORD)) {
                if (!idOfToken.containsKey(token)) {
                    throw new IOException(vocabJson + ": has no entry for the byte symbol \"" + token + "\" (byte "
                            + b + "); this is not a CLIP byte-level BPE vocabulary");
                }
            }
        }
    }

    private static int requireSpecialToken(Path vocabJson, Map<String, Integer> idOfToken, String token) throws IOException {
        Integer id = idOfToken.get(token);
        if (id == null) {
            throw new IOException(vocabJson + ": has no entry for " + token + "; a CLIP vocabulary must define both "
                    + START_OF_TEXT + " and " + END_OF_TEXT);
        }
        return id;
    }
}
