package org.clipwb.core.adapt.coft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clipwb.core.model.ClipModel;
import org.clipwb.core.tokenizer.ClipTokenizer;

/**
 * The frozen parts of CoOp prompts with the class token at the end (methods.md §1.3): each class's prompt
 * {@code "X X … X <class>."} is tokenised to find the end of text, and its embeddings are split around the M context
 * positions into the start-of-text embedding (prefix) and the class name, full stop, end of text and padding (suffix).
 * A learner's context vectors go in between. The positive and the negative prompt of DeFT share these parts (§4.3).
 */
final class ClassPrompts {
    /** CoOp's placeholder word, one token per context position. */
    private static final String PLACEHOLDER = "X";
    /** CoOp's ctx_init phrase. */
    static final String PHOTO_PHRASE = "a photo of a";

    private final NDArray prefix;
    private final NDArray suffix;
    private final NDArray tokens;
    private final int contextTokens;
    private final int width;

    private ClassPrompts(NDArray prefix, NDArray suffix, NDArray tokens, int contextTokens, int width) {
        this.prefix = prefix;
        this.suffix = suffix;
        this.tokens = tokens;
        this.contextTokens = contextTokens;
        this.width = width;
    }

    /**
     * The prompts of {@code classNames} with {@code contextTokens} placeholders.
     *
     * @throws IllegalArgumentException when a prompt does not fit the text tower's context
     */
    static ClassPrompts build(ClipModel model, ClipTokenizer tokenizer, List<String> classNames, int contextTokens,
            NDManager manager) {
        String placeholders = String.join(" ", java.util.Collections.nCopies(contextTokens, PLACEHOLDER));
        int[][] ids = new int[classNames.size()][];
        for (int c = 0; c < ids.length; c++) {
            String prompt = placeholders + " " + classNames.get(c) + ".";
            int[] encoded = tokenizer.encode(prompt);
            if (encoded.length + 2 > tokenizer.contextLength()) {
                throw new IllegalArgumentException("the prompt of class \"" + classNames.get(c) + "\" with "
                        + contextTokens + " context tokens takes " + (encoded.length + 2) + " tokens, more than the "
                        + "model's " + tokenizer.contextLength() + ": lower " + CoftSettings.CONTEXT_TOKENS);
            }
            int placeholderId = encoded[0];
            if (Arrays.stream(encoded, 0, contextTokens).anyMatch(id -> id != placeholderId)) {
                throw new IllegalStateException("the tokenizer does not keep \"" + PLACEHOLDER + "\" as one token");
            }
            ids[c] = tokenizer.tokenize(prompt);
        }
        int width = model.config().text().width();
        try (NDScope scope = new NDScope()) {
            NDArray tokens = manager.create(ids).toType(DataType.INT64, false);
            NDArray embedded = embed(model, tokens);
            int length = ids[0].length;
            return new ClassPrompts(CoftArrays.keep(embedded.get(":, 0:1, :"), manager),
                    CoftArrays.keep(embedded.get(":, " + (1 + contextTokens) + ":" + length + ", :"), manager),
                    CoftArrays.keep(tokens, manager), contextTokens, width);
        }
    }

    /** The frozen token embeddings [N, T, width] of token ids [N, T]. */
    static NDArray embed(ClipModel model, NDArray tokens) {
        NDArray table = model.namedParameters().get("token_embedding.weight").getArray();
        return Embedding.embedding(tokens, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** CoOp's ctx_init: the embeddings [M, width] of "a photo of a" (M = its token count). */
    static NDArray photoPhraseContext(ClipModel model, ClipTokenizer tokenizer, NDManager manager) {
        int[] ids = tokenizer.encode(PHOTO_PHRASE);
        try (NDScope scope = new NDScope()) {
            return CoftArrays.keep(embed(model, manager.create(ids).toType(DataType.INT64, false)), manager);
        }
    }

    /** Number of tokens {@link #photoPhraseContext} gives. */
    static int photoPhraseLength(ClipTokenizer tokenizer) {
        return tokenizer.encode(PHOTO_PHRASE).length;
    }

    /** Context positions M. */
    int contextTokens() {
        return contextTokens;
    }

    /** Width of the text tower's tokens. */
    int width() {
        return width;
    }

    /**
     * Normalised text features of the prompts with each of {@code contexts} ([M, width] each) in the context
     * positions: one [C, D] array per context, computed in one pass of the text tower.
     */
    List<NDArray> features(ClipModel model, ParameterStore store, boolean training, NDArray... contexts) {
        long classes = prefix.getShape().get(0);
        NDList prompts = new NDList();
        NDList tokenRows = new NDList();
        for (NDArray context : contexts) {
            NDArray shared = context.expandDims(0).broadcast(new Shape(classes, contextTokens, width));
            prompts.add(NDArrays.concat(new NDList(prefix, shared, suffix), 1));
            tokenRows.add(tokens);
        }
        NDArray features = CoftArrays.normalise(model.encodeTextEmbeddings(store, NDArrays.concat(prompts, 0),
                NDArrays.concat(tokenRows, 0), training));
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < contexts.length; i++) {
            out.add(features.get((i * classes) + ":" + ((i + 1) * classes)));
        }
        return out;
    }
}
