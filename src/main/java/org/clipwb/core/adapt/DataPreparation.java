package org.clipwb.core.adapt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clipwb.core.data.LabeledShots;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.embed.ImageEmbedder;
import org.clipwb.core.zeroshot.EvaluationLabels;
import org.clipwb.core.zeroshot.ZeroShotClassifier;

/**
 * Builds a method's {@link AdaptationData} from embedded folders: the target folder (its class subfolders, when it
 * has them, become evaluation labels), the zero-shot classifier's class weights, the labeled shots and an optional
 * held-out test folder. The CLI and the window prepare runs the same way through here.
 */
public final class DataPreparation {
    private DataPreparation() {
    }

    /** A labeled shot that could not be embedded, and why. */
    public record Problem(String path, String reason) {
    }

    /** The data, and the shots that had to be left out. */
    public record Prepared(AdaptationData data, List<Problem> problems) {
    }

    /** Embeds image files, e.g. through an {@link ImageEmbedder} and the embedding cache. */
    @FunctionalInterface
    public interface FileEmbedder {
        /** The embeddings of {@code files}, null where a file failed. */
        ImageEmbedder.Result embed(List<Path> files) throws IOException, InterruptedException;
    }

    /**
     * Prepares the data of a run.
     *
     * @param embedder embeds the shots
     */
    public static Prepared prepare(ZeroShotClassifier classifier, EmbeddedFolder target, List<LabeledShots.Shot> shots,
            FileEmbedder embedder, Optional<EmbeddedFolder> test) throws IOException, InterruptedException {
        List<Problem> problems = new ArrayList<>();
        LabeledSet shotSet = LabeledSet.empty();
        if (!shots.isEmpty()) {
            ImageEmbedder.Result result = embedder.embed(shots.stream().map(LabeledShots.Shot::path).toList());
            result.failures().forEach(f -> problems.add(new Problem(f.path().toString(), f.reason())));
            List<String> keys = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (int i = 0; i < shots.size(); i++) {
                if (result.embeddings()[i] != null) {
                    keys.add(shots.get(i).path().toString());
                    vectors.add(result.embeddings()[i]);
                    labels.add(shots.get(i).label());
                }
            }
            shotSet = new LabeledSet(keys, vectors.toArray(float[][]::new),
                    labels.stream().mapToInt(Integer::intValue).toArray());
        }
        AdaptationData data = new AdaptationData(classifier.classes(), labeled(target, classifier),
                classifier.classWeights(), classifier.logitScale(), shotSet,
                test.map(folder -> labeled(folder, classifier))).withTemplates(classifier.templates());
        return new Prepared(data, problems);
    }

    /** An embedded folder as a labeled set: keys are relative paths, labels its class subfolders' (or -1). */
    public static LabeledSet labeled(EmbeddedFolder folder, ZeroShotClassifier classifier) {
        List<String> keys = new ArrayList<>(folder.size());
        for (int i = 0; i < folder.size(); i++) {
            keys.add(folder.entry(i).relativePath());
        }
        int[] labels = EvaluationLabels.match(folder.folder(), classifier.classes()).ofEmbedded(folder);
        return new LabeledSet(keys, folder.embeddings(), labels);
    }
}
