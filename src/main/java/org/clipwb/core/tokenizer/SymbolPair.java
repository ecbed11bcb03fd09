package org.clipwb.core.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** Two adjacent BPE symbols, the key of the merge table. */
record SymbolPair(String left, String right) {
    /** The symbol that merging the pair produces. */
    String merged() {
        return left + right;
    }

    /** {@code symbols} with every occurrence of this pair merged, scanning left to right without overlap. */
    List<String> mergeAll(List<String> symbols) {
        List<String> result = new ArrayList<>(symbols.size());
        int i = 0;
        while (i < symbols.size()) {
            if (i + 1 < symbols.size() && symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
                result.add(merged());
                i += 2;
            } else {
                result.add(symbols.get(i));
                i++;
            }
        }
        return result;
    }
}
