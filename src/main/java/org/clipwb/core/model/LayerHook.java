package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Rewrites the token sequence that enters each layer of the image tower: deep visual prompt tuning (methods.md §4.3)
 * drops the prompt tokens of the previous layer and appends its own before every layer. {@link #NONE} leaves the
 * tower exactly as it is.
 */
@FunctionalInterface
public interface LayerHook {
    /** The hook that changes nothing. */
    LayerHook NONE = (layer, tokens) -> tokens;

    /**
     * The tokens [B, T', width] that layer {@code layer} (from 0) runs on, given the tokens [B, T, width] that enter it
     * (after ln_pre for layer 0, the previous layer's output otherwise). Pooling reads token 0, so a hook keeps it.
     */
    NDArray beforeLayer(int layer, NDArray tokens);
}
