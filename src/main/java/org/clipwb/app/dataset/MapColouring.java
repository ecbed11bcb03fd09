package org.clipwb.app.dataset;

/** What the embedding map's colours show. */
public enum MapColouring {
    /** The predicted class. */
    CLASS("predicted class"),
    /** The confidence, red (doubtful) to green (sure). */
    CONFIDENCE("confidence"),
    /** CoFT's p_clean: red for labels it judged noisy, green for clean ones. */
    CLEAN("clean / noisy (CoFT p_clean)"),
    /** LLU's mask α(x): how strongly the update applies. */
    LLU_ALPHA("LLU α(x)");

    private final String title;

    MapColouring(String title) {
        this.title = title;
    }

    @Override
    public String toString() {
        return title;
    }
}
