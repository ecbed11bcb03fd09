package org.clipwb.app.zeroshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.clipwb.core.store.CachedModel;
import org.clipwb.core.store.KnownModel;
import org.clipwb.core.store.ModelStore;

/**
 * The models the model picker offers: the bundled demo model and the known hub models, then the other models already
 * downloaded.
 */
public final class ModelChoices {
    /**
     * One offered model.
     *
     * @param downloaded whether it is in the download cache
     * @param bundled    whether it ships with the workbench (never downloaded, available offline)
     */
    public record Choice(String spec, String description, boolean downloaded, boolean bundled) {
        /** How it can be had, for the picker: bundled, downloaded, or empty (downloaded on the first run). */
        public String availability() {
            return bundled ? "bundled: works offline, no download" : downloaded ? "downloaded" : "";
        }
    }

    private final Map<String, Choice> bySpec = new LinkedHashMap<>();
    private final boolean offline;

    private ModelChoices(List<Choice> choices, boolean offline) {
        choices.forEach(choice -> bySpec.put(choice.spec(), choice));
        this.offline = offline;
    }

    /** Lists the store's known and cached models; an unreadable cache only loses the "downloaded" marks. */
    public static ModelChoices of(ModelStore store) {
        Map<String, CachedModel> cached = new LinkedHashMap<>();
        try {
            for (CachedModel model : store.listCached()) {
                if (model.complete()) {
                    cached.put(model.repoId(), model);
                }
            }
        } catch (IOException e) {
            System.err.println("Cannot list the model cache " + store.cacheDir() + ": " + e.getMessage());
        }
        List<Choice> choices = new ArrayList<>();
        for (KnownModel known : ModelStore.KNOWN_MODELS) {
            choices.add(new Choice(known.spec(), known.description(), cached.remove(known.spec()) != null,
                    known.bundled()));
        }
        for (CachedModel model : cached.values()) {
            choices.add(new Choice(model.repoId(), String.format(Locale.ROOT, "Downloaded earlier, %.0f MB on disk",
                    model.sizeBytes() / 1e6), true, false));
        }
        return new ModelChoices(choices, store.offline());
    }

    /** The offered model specs, the bundled and known models first. */
    public List<String> specs() {
        return List.copyOf(bySpec.keySet());
    }

    /** The offered model with this spec, if it is one. */
    public Choice choice(String spec) {
        return bySpec.get(spec);
    }

    /** One line about what choosing {@code spec} means: its description, or whether it is a folder or a download. */
    public String describe(String spec) {
        if (spec == null || spec.isBlank()) {
            return "";
        }
        Choice choice = bySpec.get(spec.strip());
        if (choice != null) {
            return choice.description() + (choice.availability().isEmpty() ? "" : " (" + choice.availability() + ")");
        }
        if (isFolder(spec.strip())) {
            return "A local model folder";
        }
        return offline ? "Not downloaded, and offline mode is on (CLIPWB_OFFLINE or HF_HUB_OFFLINE)"
                : "A Hugging Face model: downloaded on the first run";
    }

    private static boolean isFolder(String spec) {
        try {
            return Files.isDirectory(Path.of(spec));
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
