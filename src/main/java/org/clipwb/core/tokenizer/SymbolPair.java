package org.clipwb.core.tokenizer;

/** Two adjacent BPE symbols, the key of the merge table. */
record SymbolPair(String left, String right) {
    /** The symbol that merging the pair produces. */
    String merged() {
        return left + right;
    }
}
