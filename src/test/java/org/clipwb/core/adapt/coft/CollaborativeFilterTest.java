package org.clipwb.core.adapt.coft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Phase II's rules on hand-made scores (p_clean > ½ ⇔ S⁺ > S⁻). */
class CollaborativeFilterTest {
    // Three classes, four images. Model A predicts 0, 1, 2, 0; model B predicts 0, 2, 2, 1.
    private static final CollaborativeFilter.ModelScores A = new CollaborativeFilter.ModelScores(
            new float[][] {{3, 1, 0}, {0, 3, 2}, {0, 1, 3}, {3, 2, 0}},
            new float[][] {{0, 0, 0}, {0, 4, 1}, {5, 5, 5}, {5, 0, 5}});
    private static final CollaborativeFilter.ModelScores B = new CollaborativeFilter.ModelScores(
            new float[][] {{3, 0, 0}, {0, 2, 3}, {0, 0, 3}, {1, 3, 0}},
            new float[][] {{1, 1, 1}, {0, 5, 5}, {0, 0, 0}, {9, 9, 9}});

    @Test
    void aPreferredKeepsAsLabelWhenBAcceptsItElseBsWhenAAcceptsIt() {
        CollaborativeFilter.Decision decision = CollaborativeFilter.decide(CollaborativeFilter.Rule.A_PREFERRED, A, B);
        // 0: B accepts A's 0. 1: B rejects A's 1 (2 < 5), A accepts B's 2 (2 > 1). 2: B accepts A's 2.
        // 3: B rejects A's 0 (1 < 9), A accepts B's 1 (2 > 0).
        assertArrayEquals(new int[] {0, 2, 2, 1}, decision.label());
        assertArrayEquals(new int[] {0, 1, 0, 1}, decision.generator());
        assertArrayEquals(new int[] {1, 0, 1, 0}, decision.validator());
    }

    @Test
    void agreementNeedsTheSameLabelAndBothChecks() {
        CollaborativeFilter.Decision decision = CollaborativeFilter.decide(CollaborativeFilter.Rule.AGREEMENT, A, B);
        // 0: both predict 0, A accepts (3 > 0), B accepts (3 > 1). 2: both 2, but A rejects (3 < 5).
        assertArrayEquals(new int[] {0, -1, -1, -1}, decision.label());
    }

    @Test
    void twoSetsKeepEachDirectionApart() {
        assertArrayEquals(new int[] {0, -1, 2, -1}, CollaborativeFilter.oneWay(A, CollaborativeFilter.MODEL_A, B,
                CollaborativeFilter.MODEL_B).label());
        assertArrayEquals(new int[] {0, 2, -1, 1}, CollaborativeFilter.oneWay(B, CollaborativeFilter.MODEL_B, A,
                CollaborativeFilter.MODEL_A).label());
    }

    @Test
    void alternatingPassesOfferTheNextBestClassAfterARejection() {
        // One image: A ranks 0 > 1 > 2, B ranks 2 > 1 > 0. B accepts only class 1; A accepts nothing.
        CollaborativeFilter.ModelScores a = new CollaborativeFilter.ModelScores(new float[][] {{3, 2, 1}},
                new float[][] {{9, 9, 9}});
        CollaborativeFilter.ModelScores b = new CollaborativeFilter.ModelScores(new float[][] {{1, 2, 3}},
                new float[][] {{5, 0, 5}});
        CollaborativeFilter.Decision decision = CollaborativeFilter.decide(CollaborativeFilter.Rule.ALTERNATING, a, b);
        // pass 1: A offers 0, B rejects; pass 2: B offers 2, A rejects; pass 3: A offers 1, B accepts.
        assertArrayEquals(new int[] {1}, decision.label());
        assertArrayEquals(new int[] {0}, decision.generator());
        assertArrayEquals(new int[] {-1}, CollaborativeFilter.decide(CollaborativeFilter.Rule.A_PREFERRED, a, b)
                .label(), "a single exchange would have discarded it");
    }
}
