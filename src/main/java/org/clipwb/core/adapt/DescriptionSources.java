package org.clipwb.core.adapt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Where the class descriptions of CoFT+ and the image and group descriptions of LatteCLIP come from, named by one
 * text ({@code clipwb adapt --descriptions}, the window's Training tab, a run's {@code descriptions} input), asked
 * through a {@link Describer} whose store is the project's {@code descriptions/} folder, so a rerun reuses them.
 * <ul>
 * <li>{@value #OFFLINE}: the caption bank describer with {@value #BANK_SIZE} captions of the demo world (for the
 * sample projects; it knows nothing of real photos);</li>
 * <li>a JSON file of descriptions ({@link JsonImportProvider});</li>
 * <li>{@code ollama:MODEL} or {@code ollama:MODEL@URL}: an Ollama server (default {@value OllamaProvider#DEFAULT_URL}).</li>
 * </ul>
 */
public final class DescriptionSources {
    /** The source that needs no server and no file. */
    public static final String OFFLINE = "offline";
    /** What an Ollama source starts with. */
    public static final String OLLAMA = "ollama:";
    /** Captions in the offline bank (the describer's documented setting). */
    static final int BANK_SIZE = 2000;
    /** Seed of the bank's captions. */
    private static final long BANK_SEED = 1;
    /** The project subfolder that keeps the descriptions. */
    private static final String STORE_FOLDER = "descriptions";

    private DescriptionSources() {
    }

    /**
     * Checks {@code spec} without asking anyone for descriptions: a JSON file is read and checked, an Ollama source
     * must name a model and an http(s) address; the server is not contacted.
     *
     * @throws IOException naming the file and, for bad JSON, the line and column
     * @throws IllegalArgumentException when the text names no source
     */
    public static void check(String spec) throws IOException {
        if (spec.startsWith(OLLAMA)) {
            ollama(spec);
        } else if (!spec.equals(OFFLINE)) {
            jsonFile(spec);
        }
    }

    /**
     * The descriptions source of {@code spec} for a run on {@code target} of the project in {@code projectFolder}.
     *
     * @param progress hears how far describing is
     */
    public static ClassDescriptions of(String spec, Clip clip, ZeroShotClassifier classifier, EmbeddedFolder target,
            Path projectFolder, Describer.Progress progress) throws IOException {
        DescriptionProvider provider = provider(spec, clip, classifier, target);
        Path storeFolder = projectFolder.resolve(STORE_FOLDER);
        return new ClassDescriptions() {
            @Override
            public Described<String, List<String>> describe(List<String> classNames) throws IOException,
                    InterruptedException {
                Describer describer = new Describer(provider, DescriptionStore.open(storeFolder), progress);
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
        if (spec.equals(OFFLINE)) {
            Map<Path, float[]> embeddings = new HashMap<>();
            for (int i = 0; i < target.size(); i++) {
                embeddings.put(target.entry(i).path(), target.embeddings()[i]);
            }
            return new CaptionBankDescriber(clip.name(), clip, DemoCaptionBank.sample(BANK_SIZE, BANK_SEED),
                    target.embeddings()).asProvider(classifier, embeddings::get);
        }
        if (spec.startsWith(OLLAMA)) {
            return new OllamaProvider(ollama(spec), OllamaProvider.Endpoint.GENERATE);
        }
        return jsonFile(spec);
    }

    private static ServerSettings ollama(String spec) {
        String[] modelAndUrl = spec.substring(OLLAMA.length()).split("@", 2);
        try {
            return ServerSettings.of(modelAndUrl.length > 1 ? modelAndUrl[1] : OllamaProvider.DEFAULT_URL,
                    modelAndUrl[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The descriptions source " + spec + " is not ollama:MODEL or "
                    + "ollama:MODEL@URL: " + e.getMessage(), e);
        }
    }

    private static JsonImportProvider jsonFile(String spec) throws IOException {
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("The descriptions source " + spec + " is neither " + OFFLINE + ", "
                    + OLLAMA + "MODEL[@URL] nor an existing JSON file of descriptions");
        }
        return JsonImportProvider.read(file);
    }
}
