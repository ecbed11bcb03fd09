package org.clipwb.core.describe;

import java.util.List;

/** CuPL's questions about a class and how its answers become descriptions (methods.md §1.9, generate_image_prompts.py). */
public final class CuplPrompts {
    /** Answers are cut at the first full stop, which is then appended. */
    public static final String STOP = ".";
    static final int QUESTION_COUNT = 5;

    private CuplPrompts() {
    }

    /**
     * "an" when the name starts with an upper-case A, E, I, O or U, else "a". CuPL's code tests upper-case vowels
     * only, so "apple" gets "a"; kept as coded so that descriptions match the reference's.
     */
    public static String article(String className) {
        return !className.isEmpty() && "AEIOU".indexOf(className.charAt(0)) >= 0 ? "an" : "a";
    }

    /** The five questions, in CuPL's order. */
    public static List<String> questions(String className) {
        String subject = article(className) + " " + className;
        return List.of(
                "Describe what " + subject + " looks like",
                "How can you identify " + subject + "?",
                "What does " + subject + " look like?",
                "Describe an image from the internet of " + subject,
                "A caption of an image of " + subject + ":");
    }

    /**
     * One answer as a description: on one line, ending with the full stop the server stopped at. CuPL removes
     * "\n\n" (text-davinci's answers began with it); chat models put line breaks anywhere, so all whitespace runs
     * become one space.
     */
    public static String sentence(String answer) {
        return AnswerText.oneLine(answer) + STOP;
    }
}
