package org.clipwb.core.describe;

/** Shapes a model's answer into the one-line text the methods read. */
final class AnswerText {
    private AnswerText() {
    }

    /**
     * The answer on one line: LatteCLIP replaces newlines by spaces and reads the first line of its caption files,
     * so every run of whitespace (line breaks included) becomes one space and the ends are trimmed.
     */
    static String oneLine(String answer) {
        return answer.strip().replaceAll("\\s+", " ");
    }
}
