package org.clipwb.core.describe;

import java.util.Locale;

/**
 * How class descriptions are sampled: each CuPL question is asked {@code samplesPerQuestion} times at
 * {@code temperature}, each answer at most {@code maxTokens} tokens and cut at the first ".".
 */
public record DescriptionRequest(int samplesPerQuestion, double temperature, int maxTokens) {
    /** CuPL's settings: 10 samples per question, temperature 0.99, 50 tokens (methods.md §1.9). */
    public static final DescriptionRequest CUPL = new DescriptionRequest(10, 0.99, 50);

    public DescriptionRequest {
        if (samplesPerQuestion < 1 || maxTokens < 1 || !(temperature >= 0)) {
            throw new IllegalArgumentException("samples per question and max tokens must be positive and the "
                    + "temperature not negative, got " + samplesPerQuestion + ", " + maxTokens + ", " + temperature);
        }
    }

    /** Descriptions per class: one per sample of every question. */
    public int totalSamples() {
        return samplesPerQuestion * CuplPrompts.QUESTION_COUNT;
    }

    /** The settings in words; the store keeps class descriptions under it, so other settings ask again. */
    public String summary() {
        return String.format(Locale.ROOT, "CuPL questions, %d samples each, temperature %s, at most %d tokens",
                samplesPerQuestion, temperature, maxTokens);
    }
}
