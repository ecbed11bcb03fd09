package org.clipwb.core.adapt.latte;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.ClassDescriptions;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.describe.CaptionBankDescriber;
import org.clipwb.core.describe.DescriptionProvider;
import org.clipwb.core.zeroshot.PromptTemplates;
import org.clipwb.core.zeroshot.TextEncoder;
import org.clipwb.core.zeroshot.ZeroShotClassifier;

/**
 * What LatteCLIP needs beyond the embeddings of {@link AdaptationData}: the file of each target image, and who writes
 * its image and group descriptions (methods.md §3.2 P3, P4).
 *
 * @param imageFile the file of a target image's key
 * @param provider a language-model server, an imported file, or the offline caption bank ({@link #offline})
 * @param descriptionFolder where the descriptions are kept ({@code descriptions.json}), so that a rerun, or another
 *     run of the same project, asks only for what is missing
 */
public record LatteInputs(Function<String, Path> imageFile, DescriptionProvider provider, Path descriptionFolder) {

    /**
     * The inputs a run's data configures: the files of its image source, and the provider and store of its
     * description source ({@code clipwb adapt --descriptions}).
     *
     * @throws IllegalStateException when the data has no image files or no description provider
     */
    public static LatteInputs of(AdaptationData data) {
        ImageSource source = data.images().orElseThrow(() -> new IllegalStateException("LatteCLIP needs the image "
                + "files of the target (AdaptationData.withImages)"));
        ClassDescriptions.StoredProvider described = data.descriptions().flatMap(ClassDescriptions::provider)
                .orElseThrow(() -> new IllegalStateException("LatteCLIP describes every training image and its "
                        + "group, and no description provider is configured: give one (clipwb adapt --descriptions "
                        + "offline|FILE.json|ollama:MODEL)"));
        return new LatteInputs(source::targetFile, described.provider(), described.folder());
    }

    /**
     * Inputs whose descriptions come from the offline caption bank: without a language-model server, each image gets
     * the bank caption that fits its embedding best, and each group the one that fits its images' mean
     * ({@link CaptionBankDescriber}). The model picks every description, so this adds no outside knowledge; it lets
     * LatteCLIP run end to end offline.
     *
     * @param modelName names the model in the provider's id, e.g. "demo"
     * @param encoder the text tower of the model being adapted, which embeds the bank
     */
    public static LatteInputs offline(AdaptationData data, Function<String, Path> imageFile, String modelName,
            TextEncoder encoder, List<String> bank, Path descriptionFolder) {
        LabeledSet target = data.target();
        Map<Path, float[]> embeddings = new LinkedHashMap<>();
        for (int i = 0; i < target.size(); i++) {
            embeddings.put(imageFile.apply(target.keys().get(i)), target.embeddings()[i]);
        }
        // The provider answers class requests too, which LatteCLIP never makes; the classifier is there for them.
        ZeroShotClassifier classifier = ZeroShotClassifier.build(data.classes(),
                PromptTemplates.single(PromptTemplates.DEFAULT_TEMPLATE), encoder, data.logitScale());
        DescriptionProvider provider = new CaptionBankDescriber(modelName, encoder, bank, target.embeddings())
                .asProvider(classifier, embeddings::get);
        return new LatteInputs(imageFile, provider, descriptionFolder);
    }
}
