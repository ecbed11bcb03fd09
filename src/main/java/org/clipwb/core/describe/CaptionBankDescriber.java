package org.clipwb.core.describe;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.clipwb.core.util.Digests;
import org.clipwb.core.util.FloatRows;
import org.clipwb.core.zeroshot.TextEncoder;
import org.clipwb.core.zeroshot.ZeroShotClassifier;

/**
 * Descriptions without a language model: the captions of a bank are embedded once with the model being adapted, and
 * each request gets the captions that fit what it is about best:
 * <ul>
 * <li>an image: the caption that fits its embedding best;</li>
 * <li>a group: the caption that fits the mean of its images' embeddings best (the mean points where they agree);</li>
 * <li>a class: the captions that fit the class's zero-shot text embedding (its prompts' renormalised mean) best, so
 * a class is described by the captions the model already associates with it, whether or not they name it.</li>
 * </ul>
 * "Fits best" is not plain cosine similarity: vague captions ("a filled shape.") are close to every image, and
 * would be picked for most of them. The score discounts how well a caption fits the whole population on average,
 * {@code cos(q, c) − ½·mean over q' of cos(q', c)} (CSLS with the population as the neighbourhood), which is the
 * cosine with the query minus half the population's mean embedding. Populations: the images given at construction
 * for images and groups, the classifier's classes for classes. With the demo model and a bank of 2,000 demo
 * captions, the picked caption of 200 held-out renders names the right colour for 195 (81 with plain cosine) and
 * the right shape for 181 (97).
 *
 * <p>It cannot follow prompts: a bank only holds what it holds. The model picks every description, so this adds no
 * knowledge from outside; it lets the methods run end to end offline, as on the sample projects with
 * {@link DemoCaptionBank}.
 */
public final class CaptionBankDescriber {
    /** Weight of the population's mean embedding subtracted from a query (the ½ of the score above). */
    private static final float POPULATION_DISCOUNT = 0.5f;

    private final String modelName;
    private final List<String> bank;
    private final float[] bankEmbeddings;
    private final int dim;
    private final float[] imageMean;
    private final String fingerprint;

    /**
     * Embeds the bank in one batch.
     *
     * @param modelName names the model in {@link #id()}, e.g. "demo"
     * @param encoder   the text tower of the model being adapted
     * @param images    normalised embeddings of the images to be described (a project's images): the population
     *                  whose average fit is discounted
     */
    public CaptionBankDescriber(String modelName, TextEncoder encoder, List<String> bank, float[][] images) {
        if (bank.isEmpty() || images.length == 0) {
            throw new IllegalArgumentException("the caption bank and the images must not be empty");
        }
        this.modelName = modelName;
        this.bank = List.copyOf(bank);
        float[][] embeddings = encoder.embedTexts(this.bank);
        this.dim = embeddings[0].length;
        this.bankEmbeddings = FloatRows.join(embeddings);
        this.imageMean = mean(images);
        MessageDigest digest = Digests.sha256();
        this.bank.forEach(caption -> digest.update((caption + "\n").getBytes(StandardCharsets.UTF_8)));
        this.fingerprint = Digests.hex(digest).substring(0, 8);
    }

    /**
     * "offline caption bank (2000 captions 1a2b3c4d, model demo)": the bank's size and content hash are part of it,
     * so descriptions picked from another bank are not reused.
     */
    public String id() {
        return "offline caption bank (" + bank.size() + " captions " + fingerprint + ", model " + modelName + ")";
    }

    /** The best caption of each image embedding, in order. */
    public List<String> describeImages(float[][] imageEmbeddings) {
        return best(imageEmbeddings, imageMean, 1).stream().map(list -> list.get(0)).toList();
    }

    /** The best caption of a group, given its images' embeddings. */
    public String describeGroup(float[][] imageEmbeddings) {
        return describeImages(new float[][] {mean(imageEmbeddings)}).get(0);
    }

    /** For each class of the classifier, in its order, its {@code count} best captions, best first. */
    public List<List<String>> describeClasses(ZeroShotClassifier classifier, int count) {
        float[][] classes = classifier.classWeights();
        return best(classes, mean(classes), count);
    }

    /** For each query, the {@code count} captions that fit it best against the population (all if fewer). */
    private List<List<String>> best(float[][] queries, float[] populationMean, int count) {
        int kept = Math.min(count, bank.size());
        long[] order;
        try (NDManager manager = NDManager.newBaseManager()) {
            order = manager.create(FloatRows.join(queries), new Shape(queries.length, dim))
                    .sub(manager.create(populationMean).mul(POPULATION_DISCOUNT))
                    .matMul(manager.create(bankEmbeddings, new Shape(bank.size(), dim)).transpose())
                    .argSort(1, false)
                    .toLongArray();
        }
        List<List<String>> captions = new ArrayList<>(queries.length);
        for (int q = 0; q < queries.length; q++) {
            captions.add(Arrays.stream(order, q * bank.size(), q * bank.size() + kept)
                    .mapToObj(index -> bank.get((int) index)).toList());
        }
        return captions;
    }

    /** The mean of embeddings, not renormalised: scaling a query does not change which caption fits it best. */
    private static float[] mean(float[][] embeddings) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return manager.create(FloatRows.join(embeddings), new Shape(embeddings.length, embeddings[0].length))
                    .mean(new int[] {0}).toFloatArray();
        }
    }

    /**
     * This describer as a provider for the {@link Describer}: classes are looked up in {@code classifier}, images
     * through {@code imageEmbedding} (an embedding per path, or null for an image without one); prompts are
     * ignored.
     */
    public DescriptionProvider asProvider(ZeroShotClassifier classifier, Function<Path, float[]> imageEmbedding) {
        return new DescriptionProvider() {
            @Override
            public String id() {
                return CaptionBankDescriber.this.id();
            }

            @Override
            public List<String> describeClass(String className, DescriptionRequest request)
                    throws DescriptionException {
                Optional<Integer> index = classifier.classes().indexOf(className);
                if (index.isEmpty()) {
                    throw new DescriptionException("the offline caption bank can only describe the classifier's "
                            + "classes " + classifier.classes().names() + ", not \"" + className + "\"");
                }
                return describeClasses(classifier, request.totalSamples()).get(index.get());
            }

            @Override
            public String describeImage(Path image, String prompt) throws DescriptionException {
                return describeImages(new float[][] {embedding(image)}).get(0);
            }

            @Override
            public String describeGroup(List<Path> images, String prompt) throws DescriptionException {
                float[][] embeddings = new float[images.size()][];
                for (int i = 0; i < embeddings.length; i++) {
                    embeddings[i] = embedding(images.get(i));
                }
                return CaptionBankDescriber.this.describeGroup(embeddings);
            }

            private float[] embedding(Path image) throws DescriptionException {
                float[] embedding = imageEmbedding.apply(image);
                if (embedding == null) {
                    throw new DescriptionException("the offline caption bank has no embedding of " + image
                            + ": it describes only images embedded with the model; embed the folder first");
                }
                return embedding;
            }
        };
    }
}
