package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clipwb.core.adapt.ClassDescriptions;
import org.clipwb.core.describe.CaptionBankDescriber;
import org.clipwb.core.describe.DemoCaptionBank;
import org.clipwb.core.describe.Described;
import org.clipwb.core.describe.DescriptionProvider;
import org.clipwb.core.describe.DescriptionRequest;
import org.clipwb.core.describe.DescriptionStore;
import org.clipwb.core.describe.Describer;
import org.clipwb.core.describe.JsonImportProvider;
import org.clipwb.core.describe.OllamaProvider;
import org.clipwb.core.describe.ServerSettings;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.zeroshot.ZeroShotClassifier;

/**
 * {@code clipwb adapt --descriptions}: where the class descriptions of CoFT+ and the image and group descriptions of
 * LatteCLIP come from, asked through a
 * {@link Describer} whose store is the project's {@code descriptions/} folder, so a rerun reuses them.
 * <ul>
 * <li>{@code offline}: the caption bank describer with {@value #BANK_SIZE} captions of the demo world (for the sample
 * projects; it knows nothing of real photos);</li>
 * <li>a JSON file of descriptions;</li>
 * <li>{@code ollama:MODEL} or {@code ollama:MODEL@URL}: an Ollama server (default {@value OllamaProvider#DEFAULT_URL}).</li>
 * </ul>
 */
final class DescriptionSources {
    /** Captions in the offline bank (the describer's documented setting). */
    static final int BANK_SIZE = 2000;
    /** Seed of the bank's captions. */
    private static final long BANK_SEED = 1;

    private DescriptionSources() {
    }

    /** The descriptions source of {@code spec} for a run on {@code target}. */
    static ClassDescriptions of(String spec, Clip clip, ZeroShotClassifier classifier, EmbeddedFolder target,
            Path projectFolder, PrintWriter err) throws IOException {
        DescriptionProvider provider = provider(spec, clip, classifier, target);
        Path storeFolder = projectFolder.resolve("descriptions");
        return new ClassDescriptions() {
            @Override
            public Described<String, List<String>> describe(List<String> classNames) throws IOException,
                    InterruptedException {
                Describer describer = new Describer(provider, DescriptionStore.open(storeFolder),
                        (done, total, message) -> err.printf("descriptions %d/%d: %s%n", done, total, message));
                return describer.describeClasses(classNames, DescriptionRequest.CUPL);
            }

            @Override
            public Optional<StoredProvider> provider() {
                return Optional.of(new StoredProvider(provider, storeFolder));
            }
        };
    }

    private static DescriptionProvider provider(String spec, Clip clip, ZeroShotClassifier classifier,
            EmbeddedFolder target) throws IOException {
        if (spec.equals("offline")) {
            Map<Path, float[]> embeddings = new HashMap<>();
            for (int i = 0; i < target.size(); i++) {
                embeddings.put(target.entry(i).path(), target.embeddings()[i]);
            }
            return new CaptionBankDescriber(clip.name(), clip, DemoCaptionBank.sample(BANK_SIZE, BANK_SEED),
                    target.embeddings()).asProvider(classifier, embeddings::get);
        }
        if (spec.startsWith("ollama:")) {
            String[] modelAndUrl = spec.substring("ollama:".length()).split("@", 2);
            return new OllamaProvider(ServerSettings.of(modelAndUrl.length > 1 ? modelAndUrl[1]
                    : OllamaProvider.DEFAULT_URL, modelAndUrl[0]), OllamaProvider.Endpoint.GENERATE);
        }
        Path file = Path.of(spec);
        if (Files.isRegularFile(file)) {
            return JsonImportProvider.read(file);
        }
        throw new IllegalArgumentException("--descriptions " + spec + " is neither offline, ollama:MODEL[@URL] nor an "
                + "existing JSON file of descriptions");
    }
}
