package org.clipwb.core.embed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.data.ImageFolder;

/**
 * The images of a folder that could be embedded, with their normalised embeddings, plus the files that could not
 * and why. Built once per folder and model; classifying with another class list reuses it without image work.
 *
 * @param entryIndices for each embedding, the index of its image in {@code folder.entries()}
 */
public record EmbeddedFolder(ImageFolder folder, int[] entryIndices, float[][] embeddings,
        List<ImageEmbedder.Failure> failures, int fromCache, int computed) {

    /** Embeds every image of the folder. */
    public static EmbeddedFolder embed(ImageFolder folder, ImageEmbedder embedder, ImageEmbedder.Progress progress)
            throws IOException, InterruptedException {
        List<ImageFolder.Entry> all = folder.entries();
        ImageEmbedder.Result result = embedder.embed(all.stream().map(ImageFolder.Entry::path).toList(), progress);
        List<Integer> indices = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (result.embeddings()[i] != null) {
                indices.add(i);
                vectors.add(result.embeddings()[i]);
            }
        }
        return new EmbeddedFolder(folder, indices.stream().mapToInt(Integer::intValue).toArray(),
                vectors.toArray(float[][]::new), result.failures(), result.fromCache(), result.computed());
    }

    /** Number of embedded images. */
    public int size() {
        return embeddings.length;
    }

    /** The image of the i-th embedding. */
    public ImageFolder.Entry entry(int i) {
        return folder.entries().get(entryIndices[i]);
    }
}
