package org.clipwb.core.describe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Gets descriptions from a provider through a store: what the store has from this provider for the same prompt is
 * reused, only the rest is asked for, and each new description is kept as soon as it arrives. When a request fails
 * the descriptions obtained before it stay in the store and the error says so; a rerun continues from there.
 * Cancellation is a thread interrupt, which also keeps what was obtained.
 */
public final class Describer {
    /** Hears how far a run is. */
    @FunctionalInterface
    public interface Progress {
        /** {@code done} of {@code total} are described; {@code message} says what happened last. */
        void update(int done, int total, String message);
    }

    private final DescriptionProvider provider;
    private final DescriptionStore store;
    private final Progress progress;

    public Describer(DescriptionProvider provider, DescriptionStore store, Progress progress) {
        this.provider = provider;
        this.store = store;
        this.progress = progress;
    }

    /** CuPL descriptions of each class. */
    public Described<String, List<String>> describeClasses(List<String> classNames, DescriptionRequest request)
            throws IOException, InterruptedException {
        return run(DescriptionKind.CLASS, classNames, name -> name, request.summary(),
                name -> provider.describeClass(name, request));
    }

    /** A description of each image, asked with {@code prompt}. */
    public Described<Path, String> describeImages(List<Path> images, String prompt)
            throws IOException, InterruptedException {
        return single(run(DescriptionKind.IMAGE, images, Describer::imageSubject, prompt,
                image -> List.of(provider.describeImage(image, prompt))));
    }

    /**
     * A description of each named group of images, asked with {@code prompt}. The store knows a group by its images
     * in order (they make its picture), not by its name.
     */
    public Described<String, String> describeGroups(Map<String, List<Path>> groups, String prompt)
            throws IOException, InterruptedException {
        Function<String, String> subject = name -> groups.get(name).stream().map(Describer::imageSubject)
                .collect(Collectors.joining(" + "));
        return single(run(DescriptionKind.GROUP, new ArrayList<>(groups.keySet()), subject, prompt,
                name -> List.of(provider.describeGroup(groups.get(name), prompt))));
    }

    /** Asks the provider about one thing. */
    @FunctionalInterface
    private interface Request<K> {
        List<String> ask(K item) throws IOException, InterruptedException;
    }

    private <K> Described<K, List<String>> run(DescriptionKind kind, List<K> items, Function<K, String> subjectOf,
            String prompt, Request<K> request) throws IOException, InterruptedException {
        List<K> distinct = new ArrayList<>(new LinkedHashSet<>(items));
        Map<K, List<String>> found = new HashMap<>();
        List<K> missing = new ArrayList<>();
        for (K item : distinct) {
            store.find(kind, subjectOf.apply(item), prompt, provider.id())
                    .ifPresentOrElse(texts -> found.put(item, texts), () -> missing.add(item));
        }
        int total = distinct.size();
        int done = found.size();
        progress.update(done, total, done + " of " + total + " " + kind.plural() + " already described by "
                + provider.id());
        try {
            for (K item : missing) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("describing " + kind.plural() + " was cancelled");
                }
                String subject = subjectOf.apply(item);
                List<String> texts = request.ask(item);
                store.add(new StoredDescription(kind, subject, prompt, provider.id(), texts));
                found.put(item, texts);
                done++;
                progress.update(done, total, "described " + subject);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                store.save();
            } catch (IOException saving) {
                e.addSuppressed(saving);
                throw e;
            }
            if (e instanceof IOException) {
                throw new DescriptionException(e.getMessage() + " (" + done + " of " + total + " " + kind.plural()
                        + " are described and kept in " + store.file() + "; run again to continue from there)", e);
            }
            throw e;
        }
        store.save();
        Map<K, List<String>> ordered = new LinkedHashMap<>();
        distinct.forEach(item -> ordered.put(item, found.get(item)));
        return new Described<>(provider.id(), ordered);
    }

    private static <K> Described<K, String> single(Described<K, List<String>> described) {
        Map<K, String> texts = new LinkedHashMap<>();
        described.descriptions().forEach((item, list) -> texts.put(item, list.get(0)));
        return new Described<>(described.provider(), texts);
    }

    private static String imageSubject(Path image) {
        return image.toAbsolutePath().normalize().toString();
    }
}
