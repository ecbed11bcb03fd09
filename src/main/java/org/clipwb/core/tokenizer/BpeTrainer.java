package org.clipwb.core.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Learns a CLIP byte-level BPE vocabulary from a text corpus, the way GPT-2's and CLIP's were learned: count the words,
 * then repeatedly merge the adjacent symbol pair that occurs most often. Words are split exactly as
 * {@link ClipTokenizer} splits them ({@link PreTokenizer}: cleaning, lower-casing, the split pattern, byte symbols with
 * {@code </w>} on the last), so the learned merges are the ones the tokenizer applies.
 *
 * <p>The vocabulary is laid out as OpenAI's: 256 byte symbols, the same with {@code </w>}, one token per merge, then
 * the start and end markers. Training is deterministic: among pairs of equal count, the pair whose left symbol, then
 * right symbol, comes first in {@link String#compareTo} order is merged first.
 */
public final class BpeTrainer {
    /** The vocabulary without any merge: 256 byte symbols, the same ending a word, and the two markers. */
    public static final int MIN_VOCABULARY_SIZE = 2 * 256 + 2;

    private BpeTrainer() {
    }

    /**
     * Learns merges from {@code texts} and writes {@code vocab.json} and {@code merges.txt} into {@code dir} (created if
     * missing), ready for {@link ClipTokenizer#fromDirectory}.
     *
     * @param vocabularySize the wanted number of tokens, at least {@value #MIN_VOCABULARY_SIZE}; the result is smaller
     *     when no pair occurs twice any more before that size is reached
     * @return the number of tokens written
     * @throws IllegalArgumentException when the size is too small or the corpus holds no word
     */
    public static int train(Iterable<String> texts, int vocabularySize, Path dir) throws IOException {
        List<SymbolPair> merges = learnMerges(texts, vocabularySize);
        VocabularyFiles.write(dir, merges);
        return MIN_VOCABULARY_SIZE + merges.size();
    }

    /**
     * The merges, in rank order, that bring the vocabulary to {@code vocabularySize} tokens; fewer when no pair occurs at
     * least twice any more.
     */
    static List<SymbolPair> learnMerges(Iterable<String> texts, int vocabularySize) {
        if (vocabularySize < MIN_VOCABULARY_SIZE) {
            throw new IllegalArgumentException("the vocabulary size must be at least " + MIN_VOCABULARY_SIZE
                    + " (256 byte symbols, the same 256 ending a word, and the start and end markers), got " + vocabularySize);
        }
        return new Merging(countWords(texts)).learn(vocabularySize - MIN_VOCABULARY_SIZE);
    }

    /** How often each word piece occurs; BPE training only ever looks at distinct words, weighted by these counts. */
    private static Map<String, Long> countWords(Iterable<String> texts) {
        Map<String, Long> frequencyOfWord = new HashMap<>();
        int textCount = 0;
        for (String text : texts) {
            textCount++;
            if (text == null) {
                throw new IllegalArgumentException("text " + textCount + " of the corpus is null");
            }
            for (String piece : PreTokenizer.wordPieces(text)) {
                // Markers become their own ids without BPE, so merges for them would never be used.
                if (!PreTokenizer.isMarker(piece)) {
                    frequencyOfWord.merge(piece, 1L, Long::sum);
                }
            }
        }
        if (frequencyOfWord.isEmpty()) {
            throw new IllegalArgumentException(textCount == 0 ? "the corpus is empty: there is no text to learn from"
                    : "none of the " + textCount + " texts of the corpus contains a word to learn from");
        }
        return frequencyOfWord;
    }

    /**
     * The merge loop over the table of distinct words. Pair counts are updated incrementally, touching only the words
     * that contain the merged pair, and the most frequent pair comes from a priority queue: recounting every pair of
     * every word for each merge is quadratic, fine for a few hundred words but not for a real caption corpus with tens of
     * thousands of distinct words and merges (the same design as Hugging Face's {@code tokenizers} trainer).
     */
    private static final class Merging {
        private static final Comparator<Candidate> MOST_FREQUENT_FIRST = Comparator.comparingLong(Candidate::count)
                .reversed()
                .thenComparing(candidate -> candidate.pair().left())
                .thenComparing(candidate -> candidate.pair().right());

        /** A pair with its count when queued; outdated once the pair's count changes (a newer entry is queued then). */
        private record Candidate(SymbolPair pair, long count) {
        }

        private final List<List<String>> symbolsOfWord = new ArrayList<>();
        private final List<Long> frequencyOfWord = new ArrayList<>();
        private final Map<SymbolPair, Long> countOfPair = new HashMap<>();
        /** The words in which each pair occurs; may still list a word that has lost the pair to an earlier merge. */
        private final Map<SymbolPair, Set<Integer>> wordsWithPair = new HashMap<>();
        private final PriorityQueue<Candidate> candidates = new PriorityQueue<>(MOST_FREQUENT_FIRST);

        Merging(Map<String, Long> frequencyOfWordPiece) {
            Map<SymbolPair, Long> initialCounts = new HashMap<>();
            frequencyOfWordPiece.forEach((piece, frequency) -> {
                int word = symbolsOfWord.size();
                List<String> symbols = PreTokenizer.byteSymbols(piece);
                symbolsOfWord.add(symbols);
                frequencyOfWord.add(frequency);
                addPairs(word, symbols, frequency, initialCounts);
            });
            updateCounts(initialCounts);
        }

        /**
         * Merges the most frequent pair, up to {@code maxMerges} times. Every merge makes a token that did not exist, as
         * {@link VocabularyFiles} requires: were a token T, made at step j from x|y, later made again from some u|v,
         * no merge would have crossed the ends of that occurrence of T's characters, so up to step j they would have
         * been merged exactly as T alone is, ending as x|y, and step j would have joined them. As tokens are unique
         * and a merge leaves no occurrence of its pair, no pair of an earlier merge ever reappears, so each word ends
         * up segmented exactly as {@link ClipTokenizer}, which applies the lowest-ranked merge present, encodes it.
         */
        List<SymbolPair> learn(int maxMerges) {
            List<SymbolPair> merges = new ArrayList<>();
            while (merges.size() < maxMerges && !candidates.isEmpty()) {
                Candidate best = candidates.poll();
                if (best.count() != countOfPair.getOrDefault(best.pair(), 0L)) {
                    continue; // outdated entry
                }
                if (best.count() < 2) {
                    break;
                }
                merges.add(best.pair());
                merge(best.pair());
            }
            return merges;
        }

        /** Merges {@code pair} in every word that has it and updates the counts of the pairs that changed. */
        private void merge(SymbolPair pair) {
            Map<SymbolPair, Long> delta = new HashMap<>();
            for (int word : wordsWithPair.remove(pair)) {
                List<String> before = symbolsOfWord.get(word);
                List<String> after = pair.mergeAll(before);
                if (after.size() < before.size()) {
                    long frequency = frequencyOfWord.get(word);
                    addPairs(word, before, -frequency, delta);
                    addPairs(word, after, frequency, delta);
                    symbolsOfWord.set(word, after);
                }
            }
            updateCounts(delta);
        }

        /** Adds {@code weight} to {@code counts} for each adjacent pair of the word; a positive weight also indexes it. */
        private void addPairs(int word, List<String> symbols, long weight, Map<SymbolPair, Long> counts) {
            for (int i = 0; i + 1 < symbols.size(); i++) {
                SymbolPair pair = new SymbolPair(symbols.get(i), symbols.get(i + 1));
                counts.merge(pair, weight, Long::sum);
                if (weight > 0) {
                    wordsWithPair.computeIfAbsent(pair, p -> new HashSet<>()).add(word);
                }
            }
        }

        private void updateCounts(Map<SymbolPair, Long> delta) {
            delta.forEach((pair, change) -> {
                if (change != 0) {
                    Long count = countOfPair.merge(pair, change, (old, added) -> old + added == 0 ? null : old + added);
                    if (count != null) {
                        candidates.add(new Candidate(pair, count));
                    }
                }
            });
        }
    }
}
