package org.clipwb.core.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.clipwb.core.image.ClipPreprocessor;
import org.clipwb.core.tokenizer.ClipTokenizer;

/**
 * One step's worth of pretraining data: rendered images, their captions as token ids, and which caption describes
 * which image (several do: many scenes fit "a photo of a circle").
 *
 * @param pixels  {@code size} preprocessed images, CHW, back to back
 * @param tokens  {@code size} rows of token ids, padded to the context length
 * @param matches row i, column j is 1 when caption j describes image i, else 0 ({@code size x size}, row-major);
 *                the diagonal is always 1
 */
record PretrainingBatch(int size, float[] pixels, int[][] tokens, float[] matches, List<String> captions) {

    /**
     * Renders batch {@code index} of the stream {@code seed}: the same arguments always give the same batch. A
     * fraction {@code plainShare} of the scenes (in expectation) are plain ones (see {@link SceneSampler}).
     */
    static PretrainingBatch render(long seed, long index, int size, double plainShare, ClipPreprocessor preprocessor,
            ClipTokenizer tokenizer) {
        int imageSize = preprocessor.config().cropWidth();
        float[] pixels = new float[size * preprocessor.tensorLength()];
        List<Scene> scenes = new ArrayList<>(size);
        List<Caption> captions = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            SplittableRandom random = SceneSampler.randomFor(seed, index * size + i);
            Scene scene = SceneSampler.sample(random, random.nextDouble() < plainShare);
            scenes.add(scene);
            captions.add(Captioner.caption(scene, random));
            preprocessor.toTensor(SceneRenderer.toRgb(SceneRenderer.render(scene, imageSize)), pixels,
                    i * preprocessor.tensorLength());
        }
        float[] matches = new float[size * size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                matches[i * size + j] = i == j || captions.get(j).describes(scenes.get(i)) ? 1 : 0;
            }
        }
        List<String> texts = captions.stream().map(Caption::text).toList();
        return new PretrainingBatch(size, pixels, tokenizer.tokenize(texts), matches, texts);
    }
}
