package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.clipwb.core.store.CachedModel;
import org.clipwb.core.store.KnownModel;
import org.clipwb.core.store.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code clipwb models}: the bundled model, the models known by name and those already downloaded. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Lists the bundled demo model, the models known by name and the ones in the download cache.")
final class ModelsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ModelStore store = ModelStore.fromEnvironment();
        out.println("Bundled with the workbench (no download, works offline; the default when --model is not "
                + "given):");
        print(out, ModelStore.KNOWN_MODELS.stream().filter(KnownModel::bundled));
        out.println("Models known by name (downloaded from the Hugging Face hub on first use):");
        print(out, ModelStore.KNOWN_MODELS.stream().filter(model -> !model.bundled()));
        out.println("Cache: " + store.cacheDir() + (store.offline() ? " (offline mode)" : ""));
        for (CachedModel cached : store.listCached()) {
            out.printf(Locale.ROOT, "  %-40s %8.1f MB%s%n", cached.repoId(), cached.sizeBytes() / 1e6,
                    cached.complete() ? "" : "  (incomplete: the next use resumes the download)");
        }
        out.println("Any local folder in the Hugging Face or open_clip layout works as --model too, with safetensors "
                + "or PyTorch .bin weights.");
        return 0;
    }

    private static void print(PrintWriter out, Stream<KnownModel> models) {
        models.forEach(model -> out.printf(Locale.ROOT, "  %-40s %s%n", model.spec(), model.description()));
    }
}
