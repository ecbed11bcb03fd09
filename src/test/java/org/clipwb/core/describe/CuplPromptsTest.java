package org.clipwb.core.describe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CuplPromptsTest {
    @Test
    void articleIsAnOnlyForUpperCaseVowelsAsCuplCodesIt() {
        assertEquals("an", CuplPrompts.article("Egyptian cat"));
        assertEquals("an", CuplPrompts.article("Afghan hound"));
        assertEquals("a", CuplPrompts.article("apple"), "lower-case vowels get 'a', as in CuPL's code");
        assertEquals("a", CuplPrompts.article("umbrella"));
        assertEquals("a", CuplPrompts.article("Yorkshire terrier"));
        assertEquals("a", CuplPrompts.article("cat"));
    }

    @Test
    void theFiveQuestionsInCuplsWordingAndOrder() {
        assertEquals(List.of(
                "Describe what an Egyptian cat looks like",
                "How can you identify an Egyptian cat?",
                "What does an Egyptian cat look like?",
                "Describe an image from the internet of an Egyptian cat",
                "A caption of an image of an Egyptian cat:"), CuplPrompts.questions("Egyptian cat"));
        assertEquals("What does a circle look like?", CuplPrompts.questions("circle").get(2));
        assertEquals(CuplPrompts.QUESTION_COUNT, CuplPrompts.questions("circle").size());
    }

    @Test
    void answersBecomeOneSentenceEndingWithAFullStop() {
        assertEquals("A circle is round and has no corners.", CuplPrompts.sentence("\n\nA circle is round\nand has  no corners "));
    }

    @Test
    void cuplSettingsAndTheirSummary() {
        assertEquals(new DescriptionRequest(10, 0.99, 50), DescriptionRequest.CUPL);
        assertEquals(50, DescriptionRequest.CUPL.totalSamples());
        assertEquals("CuPL questions, 10 samples each, temperature 0.99, at most 50 tokens",
                DescriptionRequest.CUPL.summary());
        assertThrows(IllegalArgumentException.class, () -> new DescriptionRequest(0, 0.99, 50));
    }
}
