package org.clipwb.core.store;

import org.clipwb.core.store.FakeHub.Fault;
import org.clipwb.core.store.FakeHub.Request;
import org.clipwb.core.image.ImageDecoder;
import org.clipwb.core.model.CheckpointLayout;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.ClipConfig;
import org.clipwb.core.model.WeightsFormat;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model store against a loopback imitation of the hub: downloads pinned to one commit, the weights file a repo
 * offers, resume, integrity, offline, local folders, and the bundled demo model.
 */
@Timeout(30)
class ModelStoreTest {
    private static final String REPO = "openai/clip-vit-base-patch32";
    private static final String WEIGHTS = "model.safetensors";

    @TempDir
    Path cache;

    private final Path source = TestData.tinyClip().resolve("hf");
    private FakeHub hub;

    @BeforeEach
    void startHub() throws IOException {
        hub = FakeHub.start().addRepo(REPO, source);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    @Test
    void downloadsNamedModelIntoItsCacheFolderByteForByte() throws Exception {
        ModelStore store = store(false);
        Path folder = store.resolve(REPO, DownloadListener.NONE);

        assertEquals(cache.resolve("openai--clip-vit-base-patch32"), folder);
        assertSameFiles(source, folder);
        assertEquals(CheckpointLayout.HUGGING_FACE, CheckpointLayout.detect(folder));
        List<Request> weightGets = hub.cdnGets(WEIGHTS);
        assertEquals(1, weightGets.size(), "the weights come from the CDN in one request");
        assertNull(weightGets.get(0).range());
        assertTrue(store.isCached(REPO));
        String commit = hub.commit(REPO);
        assertEquals(commit + "\n", Files.readString(folder.resolve(ModelStore.COMMIT_FILE)));
        List<String> hubPaths = hub.requests().stream().filter(r -> r.server().equals("hub")).map(Request::path)
                .toList();
        assertEquals("/" + REPO + "/resolve/main/config.json", hubPaths.get(0), "the first request pins the commit");
        hubPaths.subList(1, hubPaths.size()).forEach(path -> assertTrue(
                path.startsWith("/" + REPO + "/resolve/" + commit + "/"), path));

        int requestsBefore = hub.requests().size();
        assertEquals(folder, store.resolve(REPO, DownloadListener.NONE));
        assertEquals(requestsBefore, hub.requests().size(), "a cached model needs no network");
    }

    @Test
    void resumesWithRangeRequestAfterConnectionDropsMidFile() throws Exception {
        hub.failNextCdnGet(Fault.DROP_AFTER_HALF);

        Path folder = store(false).resolve(REPO, DownloadListener.NONE);

        List<Request> gets = hub.cdnGets(WEIGHTS);
        assertEquals(2, gets.size());
        assertNull(gets.get(0).range());
        long resumedFrom = rangeStart(gets.get(1));
        assertTrue(resumedFrom > 0 && resumedFrom < Files.size(source.resolve(WEIGHTS)), "resumed from " + resumedFrom);
        assertEquals(206, gets.get(1).status());
        assertSameFiles(source, folder);
    }

    @Test
    void restartsFromZeroWhenServerIgnoresRange() throws Exception {
        hub.failNextCdnGet(Fault.DROP_AFTER_HALF);
        hub.ignoreRange();

        Path folder = store(false).resolve(REPO, DownloadListener.NONE);

        List<Request> gets = hub.cdnGets(WEIGHTS);
        assertEquals(2, gets.size());
        assertTrue(rangeStart(gets.get(1)) > 0);
        assertEquals(200, gets.get(1).status(), "the server sent the whole file again");
        assertSameFiles(source, folder);
    }

    @Test
    void checksumMismatchFailsAndLeavesNothingToResume() throws Exception {
        byte[] original = Files.readAllBytes(source.resolve(WEIGHTS));
        byte[] corrupt = original.clone();
        corrupt[corrupt.length / 2] ^= 1;
        hub.serveInstead(REPO, WEIGHTS, corrupt);
        ModelStore store = store(false);

        DownloadIntegrityException error = assertThrows(DownloadIntegrityException.class,
                () -> store.resolve(REPO, DownloadListener.NONE));

        assertTrue(error.getMessage().contains(REPO + "/" + WEIGHTS), error.getMessage());
        assertTrue(error.getMessage().contains("expected SHA-256 " + FakeHub.sha256Hex(original)), error.getMessage());
        assertTrue(error.getMessage().contains("got " + FakeHub.sha256Hex(corrupt)), error.getMessage());
        Path folder = cache.resolve("openai--clip-vit-base-patch32");
        assertFalse(Files.exists(folder.resolve(WEIGHTS)));
        assertEquals(List.of(), partsIn(folder));
        assertFalse(store.isCached(REPO));

        hub.serveInstead(REPO, WEIGHTS, original);
        assertSameFiles(source, store.resolve(REPO, DownloadListener.NONE));
        assertNull(hub.cdnGets(WEIGHTS).get(1).range(), "the next attempt starts afresh");
    }

    @Test
    void fileShorterThanAnnouncedFailsWithSizeError() throws Exception {
        byte[] original = Files.readAllBytes(source.resolve(WEIGHTS));
        byte[] truncated = Arrays.copyOf(original, original.length / 3);
        hub.serveInstead(REPO, WEIGHTS, truncated);
        ModelStore store = store(false);

        DownloadIntegrityException error = assertThrows(DownloadIntegrityException.class,
                () -> store.resolve(REPO, DownloadListener.NONE));

        assertTrue(error.getMessage().contains("expected " + original.length + " bytes, got " + truncated.length),
                error.getMessage());
        assertEquals(416, hub.cdnGets(WEIGHTS).get(1).status(), "the retry asked for bytes the server does not have");
        assertEquals(List.of(), partsIn(cache.resolve("openai--clip-vit-base-patch32")));
    }

    @Test
    void unknownRepoIsClearErrorAndLeavesNoFolder() {
        HubHttpException error = assertThrows(HubHttpException.class,
                () -> store(false).resolve("nobody/missing", DownloadListener.NONE));

        assertEquals(404, error.statusCode());
        assertTrue(error.getMessage().startsWith("repo not found or gated: nobody/missing"), error.getMessage());
        assertTrue(error.getMessage().contains("HF_TOKEN"), error.getMessage());
        assertFalse(Files.exists(cache.resolve("nobody--missing")));
    }

    @Test
    void optionalFilesMayBeMissingButRequiredOnesMayNot() throws Exception {
        hub.removeFile(REPO, "tokenizer_config.json");
        hub.removeFile(REPO, "special_tokens_map.json");
        ModelStore store = store(false);

        Path folder = store.resolve(REPO, DownloadListener.NONE);
        assertTrue(store.isCached(REPO));
        assertFalse(Files.exists(folder.resolve("tokenizer_config.json")));
        assertEquals(-1, Files.mismatch(source.resolve(WEIGHTS), folder.resolve(WEIGHTS)));

        hub.addRepo("someone/no-preprocessor", source);
        hub.removeFile("someone/no-preprocessor", "preprocessor_config.json");
        HubHttpException error = assertThrows(HubHttpException.class,
                () -> store.resolve("someone/no-preprocessor", DownloadListener.NONE));
        assertTrue(error.getMessage().startsWith("file preprocessor_config.json not found in repo "
                + "someone/no-preprocessor at revision " + hub.commit("someone/no-preprocessor")), error.getMessage());
    }

    @Test
    void offlineModeWithoutCachedModelIsClearErrorWithoutNetwork() {
        ModelStoreException error = assertThrows(ModelStoreException.class,
                () -> store(true).resolve(REPO, DownloadListener.NONE));

        assertTrue(error.getMessage().contains("offline mode is on"), error.getMessage());
        assertTrue(error.getMessage().contains("run once online"), error.getMessage());
        assertTrue(error.getMessage().contains("pass a local folder"), error.getMessage());
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void offlineModeServesCachedModelWithoutNetwork() throws Exception {
        Path downloaded = store(false).resolve(REPO, DownloadListener.NONE);
        int requestsBefore = hub.requests().size();

        assertEquals(downloaded, store(true).resolve(REPO, DownloadListener.NONE));
        assertEquals(requestsBefore, hub.requests().size());
    }

    @Test
    void localFoldersInBothLayoutsResolveAsGivenWithoutNetwork() throws Exception {
        String hf = source.toString();
        String openClip = TestData.tinyClip().resolve("open_clip").toString();

        assertEquals(Path.of(hf), store(false).resolve(hf, DownloadListener.NONE));
        assertEquals(Path.of(openClip), store(false).resolve(openClip, DownloadListener.NONE));
        assertEquals(Path.of(openClip), store(true).resolve(openClip, DownloadListener.NONE));
        assertEquals(CheckpointLayout.OPEN_CLIP, CheckpointLayout.detect(Path.of(openClip)));
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void specsThatAreNeitherCheckpointNorRepoAreClearErrors(@TempDir Path empty) throws Exception {
        ModelStore store = store(false);
        ModelStoreException notAnything = assertThrows(ModelStoreException.class,
                () -> store.resolve("/no/such/folder/here", DownloadListener.NONE));
        assertTrue(notAnything.getMessage().contains("neither an existing folder nor a Hugging Face repo id"));
        assertTrue(notAnything.getMessage().contains(REPO), "lists the known models: " + notAnything.getMessage());

        IOException notCheckpoint = assertThrows(IOException.class,
                () -> store.resolve(empty.toString(), DownloadListener.NONE));
        assertTrue(notCheckpoint.getMessage().contains("has neither config.json+model.safetensors"));

        ModelStoreException aFile = assertThrows(ModelStoreException.class,
                () -> store.resolve(source.resolve("config.json").toString(), DownloadListener.NONE));
        assertTrue(aFile.getMessage().contains("is a file"), aFile.getMessage());
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void progressReportsRiseToEachFilesSize() throws Exception {
        List<DownloadProgress> reports = new ArrayList<>();
        store(false).resolve(REPO, reports::add);

        Map<String, List<DownloadProgress>> byFile = new LinkedHashMap<>();
        reports.forEach(report -> byFile.computeIfAbsent(report.file(), file -> new ArrayList<>()).add(report));
        assertEquals(Set.of("config.json", "preprocessor_config.json", "vocab.json", "merges.txt",
                "tokenizer_config.json", "special_tokens_map.json", WEIGHTS), byFile.keySet());
        for (var entry : byFile.entrySet()) {
            long size = Files.size(source.resolve(entry.getKey()));
            List<DownloadProgress> fileReports = entry.getValue();
            for (int i = 1; i < fileReports.size(); i++) {
                assertTrue(fileReports.get(i).bytesDone() >= fileReports.get(i - 1).bytesDone(), entry.getKey());
            }
            fileReports.forEach(report -> assertEquals(size, report.totalBytes(), entry.getKey()));
            assertEquals(size, fileReports.get(fileReports.size() - 1).bytesDone(), entry.getKey());
        }
    }

    @Test
    void interruptedDownloadLeavesPartThatNextCallResumes() throws Exception {
        hub.failNextCdnGet(Fault.STALL_AFTER_HALF);
        ModelStore store = store(false);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                store.resolve(REPO, DownloadListener.NONE);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        Path folder = cache.resolve("openai--clip-vit-base-patch32");
        Path part = folder.resolve(WEIGHTS + "." + hub.commit(REPO) + ".part");
        long half = Files.size(source.resolve(WEIGHTS)) / 2;

        worker.start();
        waitUntil(() -> Files.exists(part) && Files.size(part) >= half);
        worker.interrupt();
        worker.join(5_000);

        assertFalse(worker.isAlive());
        assertInstanceOf(InterruptedException.class, outcome.get());
        assertEquals(half, Files.size(part));
        assertFalse(Files.exists(folder.resolve(WEIGHTS)));
        assertFalse(store.isCached(REPO));
        assertEquals(List.of(new CachedModel(REPO, folder, false, sizeOf(folder))), store.listCached());

        hub.releaseStalls();
        assertSameFiles(source, store.resolve(REPO, DownloadListener.NONE));
        List<Request> gets = hub.cdnGets(WEIGHTS);
        assertEquals("bytes=" + half + "-", gets.get(gets.size() - 1).range());
    }

    @Test
    void fileLockedByAnotherDownloadIsClearError() throws Exception {
        Path folder = Files.createDirectories(cache.resolve("openai--clip-vit-base-patch32"));
        ModelStore store = store(false);
        try (FileChannel channel = FileChannel.open(folder.resolve("config.json.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            channel.lock(); // released when the channel closes
            ModelStoreException error = assertThrows(ModelStoreException.class,
                    () -> store.resolve(REPO, DownloadListener.NONE));
            assertTrue(error.getMessage().contains("is being downloaded by another task or process"),
                    error.getMessage());
        }
        assertSameFiles(source, store.resolve(REPO, DownloadListener.NONE));
    }

    @Test
    void listsAndDeletesCachedModels() throws Exception {
        ModelStore store = store(false);
        assertEquals(List.of(), store.listCached());
        Path folder = store.resolve(REPO, DownloadListener.NONE);

        assertEquals(List.of(new CachedModel(REPO, folder, true, sizeOf(folder))), store.listCached());
        assertTrue(sizeOf(folder) >= sizeOf(source));

        try (FileChannel channel = FileChannel.open(folder.resolve(WEIGHTS + ".lock"), StandardOpenOption.WRITE)) {
            channel.lock(); // released when the channel closes
            ModelStoreException busy = assertThrows(ModelStoreException.class, () -> store.delete(REPO));
            assertTrue(busy.getMessage().contains("is being downloaded"), busy.getMessage());
        }
        store.delete(REPO);
        assertFalse(Files.exists(folder));
        assertEquals(List.of(), store.listCached());
        ModelStoreException gone = assertThrows(ModelStoreException.class, () -> store.delete(REPO));
        assertTrue(gone.getMessage().contains("is not in the cache"), gone.getMessage());
    }

    @Test
    void huggingfaceHubsOfflineSwitchCountsToo() {
        assertTrue(ModelStore.fromEnvironment(Map.of("HF_HUB_OFFLINE", "YES")).offline());
        assertTrue(ModelStore.fromEnvironment(Map.of("CLIPWB_OFFLINE", "on", "HF_HUB_OFFLINE", "0")).offline());
        assertFalse(ModelStore.fromEnvironment(Map.of("HF_HUB_OFFLINE", "0")).offline());
    }

    @Test
    void environmentChoosesCacheOfflineModeAndEndpoint() {
        ModelStore store = ModelStore.fromEnvironment(Map.of("CLIPWB_CACHE", cache.toString(), "CLIPWB_OFFLINE", "1",
                "HF_ENDPOINT", hub.endpoint().toString()));
        assertEquals(cache, store.cacheDir());
        assertTrue(store.offline());
        assertThrows(ModelStoreException.class, () -> store.resolve(REPO, DownloadListener.NONE));
        assertEquals(List.of(), hub.requests());

        ModelStore defaults = ModelStore.fromEnvironment(Map.of());
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "clip-workbench", "models"),
                defaults.cacheDir());
        assertFalse(defaults.offline());
        assertEquals(cache.resolve("models"),
                ModelStore.fromEnvironment(Map.of("CLIPWB_HOME", cache.toString())).cacheDir());
    }

    @Test
    void knownModelsAreTheBundledDemoThenValidRepoIdsWithDescriptions() {
        KnownModel demo = ModelStore.KNOWN_MODELS.get(0);
        assertEquals(ModelStore.DEFAULT_MODEL, demo.spec());
        assertEquals("demo", ModelStore.DEFAULT_MODEL);
        assertTrue(demo.bundled());
        List<KnownModel> hubModels = ModelStore.KNOWN_MODELS.subList(1, ModelStore.KNOWN_MODELS.size());
        assertEquals(List.of("openai/clip-vit-base-patch32", "openai/clip-vit-base-patch16",
                        "openai/clip-vit-large-patch14", "laion/CLIP-ViT-B-32-laion2B-s34B-b79K"),
                hubModels.stream().map(KnownModel::spec).toList());
        for (KnownModel model : hubModels) {
            assertTrue(RepoId.tryParse(model.spec()).isPresent(), model.spec());
            assertFalse(model.bundled(), model.spec());
        }
        ModelStore.KNOWN_MODELS.forEach(model -> assertFalse(model.description().isBlank(), model.spec()));
    }

    @Test
    void bundledDemoModelIsExtractedOnceAndReusedWithoutWriting() throws Exception {
        ModelStore store = store(false);
        Path folder = store.resolve(ModelStore.DEFAULT_MODEL, DownloadListener.NONE);

        assertEquals(cache.resolve("bundled"), folder.getParent());
        assertTrue(folder.getFileName().toString().matches("demo-[0-9a-f]{12}"), folder.toString());
        assertEquals(CheckpointLayout.HUGGING_FACE, CheckpointLayout.detect(folder));
        for (String file : BundledModel.FILES) {
            try (InputStream resource = ModelStore.class.getResourceAsStream("demo/" + file)) {
                assertArrayEquals(resource.readAllBytes(), Files.readAllBytes(folder.resolve(file)), file);
            }
        }
        Map<String, List<Object>> written = identities(folder);
        FileTime listed = Files.getLastModifiedTime(folder.getParent());

        // A new store, as the next run of the application would make.
        assertEquals(folder, store(false).resolve(ModelStore.DEFAULT_MODEL, DownloadListener.NONE));
        assertEquals(written, identities(folder), "the second use reads the folder without writing it");
        assertEquals(listed, Files.getLastModifiedTime(folder.getParent()), "nor extracts it again aside");
        assertEquals(List.of(), hub.requests());
        assertTrue(store.isCached(ModelStore.DEFAULT_MODEL));
        assertEquals(List.of(), store.listCached(), "the extraction folder is not a downloaded repo");
    }

    @Test
    void bundledDemoModelWorksOfflineFromAnEmptyCacheAndEmbedsTextsAndImages() throws Exception {
        Path folder = store(true).resolve(ModelStore.DEFAULT_MODEL, DownloadListener.NONE);
        assertEquals(List.of(), hub.requests());
        int embedDim = ClipConfig.fromHuggingFace(folder.resolve("config.json")).embedDim();
        try (Clip clip = Clip.load(folder, ModelStore.DEFAULT_MODEL)) {
            float[] text = clip.embedTexts(List.of("a red circle"))[0];
            float[] pixels = clip.preprocessor().toTensor(ImageDecoder.decode(
                    TestData.tinyClip().resolve("images/wide_rgb.png")));
            float[] image = clip.embedPixels(pixels, 1)[0];
            assertEquals(embedDim, text.length);
            assertEquals(embedDim, image.length);
            assertEquals(1.0, norm(text), 1e-5);
            assertEquals(1.0, norm(image), 1e-5);
        }
    }

    @Test
    void repoWithoutSafetensorsGetsItsPytorchWeightsWithANote() throws Exception {
        Path binSource = TestData.tinyClip().resolve("hf-bin");
        hub.addRepo("someone/bin-only", binSource);
        ModelStore store = store(false);
        List<String> notes = new ArrayList<>();

        Path folder = store.resolve("someone/bin-only", DownloadListener.of(progress -> { }, notes::add));

        assertSameFiles(binSource, folder);
        assertFalse(Files.exists(folder.resolve(WEIGHTS)));
        assertEquals(List.of("someone/bin-only has no model.safetensors; downloading its pytorch_model.bin (PyTorch "
                + "weights) instead"), notes);
        assertEquals(hub.commit("someone/bin-only") + "\n", Files.readString(folder.resolve(ModelStore.COMMIT_FILE)));
        assertTrue(store.isCached("someone/bin-only"));
        assertEquals(List.of(new CachedModel("someone/bin-only", folder, true, sizeOf(folder))), store.listCached());

        int requestsBefore = hub.requests().size();
        assertEquals(folder, store.resolve("someone/bin-only", DownloadListener.NONE));
        assertEquals(requestsBefore, hub.requests().size(), "either weights file makes a complete folder");

        try (Clip downloaded = Clip.load(folder, "someone/bin-only", ai.djl.Device.cpu());
                Clip reference = Clip.load(TestData.tinyClip().resolve("hf"), "hf", ai.djl.Device.cpu())) {
            assertEquals(WeightsFormat.PYTORCH_PICKLE, downloaded.weightsFormat());
            float[][] fromBin = downloaded.embedTexts(List.of("a photo of a cat."));
            float[][] fromSafetensors = reference.embedTexts(List.of("a photo of a cat."));
            assertArrayEquals(fromSafetensors[0], fromBin[0], 1e-6f);
        }
    }

    @Test
    void repoWithoutAnyWeightsIsClearError() throws Exception {
        hub.addRepo("someone/no-weights", source);
        hub.removeFile("someone/no-weights", WEIGHTS);

        ModelStoreException error = assertThrows(ModelStoreException.class,
                () -> store(false).resolve("someone/no-weights", DownloadListener.NONE));

        assertTrue(error.getMessage().startsWith("repo someone/no-weights has none of model.safetensors, "
                + "pytorch_model.bin at commit " + hub.commit("someone/no-weights").substring(0, 7)),
                error.getMessage());
    }

    @Test
    void commitChangeBetweenRunsDiscardsThePartialAndReplacesChangedFiles() throws Exception {
        hub.failNextCdnGet(Fault.STALL_AFTER_HALF);
        ModelStore store = store(false);
        Thread first = new Thread(() -> {
            try {
                store.resolve(REPO, DownloadListener.NONE);
            } catch (IOException | InterruptedException e) {
                // Expected: interrupted below.
            }
        });
        Path folder = cache.resolve("openai--clip-vit-base-patch32");
        String oldCommit = hub.commit(REPO);
        Path oldPart = folder.resolve(WEIGHTS + "." + oldCommit + ".part");
        first.start();
        waitUntil(() -> Files.exists(oldPart) && Files.size(oldPart) > 0);
        first.interrupt();
        first.join(5_000);
        hub.releaseStalls();

        byte[] newWeights = Files.readAllBytes(source.resolve(WEIGHTS));
        newWeights[newWeights.length - 1] ^= 1;
        byte[] newConfig = "{\"changed\": true}".getBytes(StandardCharsets.UTF_8);
        hub.changeFile(REPO, WEIGHTS, newWeights);
        hub.changeFile(REPO, "config.json", newConfig);
        String newCommit = hub.commit(REPO);
        int requestsBefore = hub.requests().size();
        List<String> notes = new ArrayList<>();

        store.resolve(REPO, DownloadListener.of(progress -> { }, notes::add));

        assertArrayEquals(newWeights, Files.readAllBytes(folder.resolve(WEIGHTS)));
        assertArrayEquals(newConfig, Files.readAllBytes(folder.resolve("config.json")));
        assertEquals(-1, Files.mismatch(source.resolve("vocab.json"), folder.resolve("vocab.json")));
        assertEquals(newCommit + "\n", Files.readString(folder.resolve(ModelStore.COMMIT_FILE)));
        assertEquals(List.of(), partsIn(folder));
        assertEquals(List.of("config.json changed on the hub since it was downloaded; downloading commit "
                        + newCommit.substring(0, 7) + "'s version",
                "discarded the partial download of model.safetensors from another commit of " + REPO
                        + "; downloading it afresh at commit " + newCommit.substring(0, 7)), notes);
        List<Request> secondRun = hub.requests().subList(requestsBefore, hub.requests().size());
        assertEquals(List.of("config.json", WEIGHTS), secondRun.stream().filter(r -> r.method().equals("GET")
                && r.server().equals("hub")).map(r -> r.path().substring(r.path().lastIndexOf('/') + 1)).toList(),
                "unchanged files are kept: only the changed config and the weights are fetched");
    }

    @Test
    void fileDeletedFromACompleteFolderIsFetchedAlone() throws Exception {
        ModelStore store = store(false);
        Path folder = store.resolve(REPO, DownloadListener.NONE);
        Files.delete(folder.resolve("vocab.json"));
        int requestsBefore = hub.requests().size();

        store.resolve(REPO, DownloadListener.NONE);

        assertSameFiles(source, folder);
        List<String> paths = hub.requests().subList(requestsBefore, hub.requests().size()).stream()
                .map(Request::path).toList();
        assertEquals(List.of("/" + REPO + "/resolve/main/config.json",
                "/" + REPO + "/resolve/" + hub.commit(REPO) + "/vocab.json",
                "/" + REPO + "/resolve/" + hub.commit(REPO) + "/vocab.json"), paths,
                "the commit is the recorded one: files there are trusted, only the missing one is fetched");
    }

    @Test
    void captivePortalNeverBecomesConfigJson() {
        hub.actAsCaptivePortal();

        ModelStoreException error = assertThrows(ModelStoreException.class,
                () -> store(false).resolve(REPO, DownloadListener.NONE));

        assertTrue(error.getMessage().contains("without the hub's headers"), error.getMessage());
        assertFalse(Files.exists(cache.resolve("openai--clip-vit-base-patch32")));
    }

    private ModelStore store(boolean offline) {
        return new ModelStore(cache, testClient(hub), offline);
    }

    static HubClient testClient(FakeHub hub) {
        return HubClient.builder().endpoint(hub.endpoint()).connectTimeout(Duration.ofSeconds(2))
                .stallTimeout(Duration.ofSeconds(2)).retries(3, Duration.ofMillis(10)).build();
    }

    /** Every file of {@code expected} is in {@code actual} with the same bytes, and no partial file is left there. */
    static void assertSameFiles(Path expected, Path actual) throws IOException {
        try (Stream<Path> files = Files.list(expected)) {
            for (Path file : files.toList()) {
                assertEquals(-1, Files.mismatch(file, actual.resolve(file.getFileName())), file.getFileName() + " differs");
            }
        }
        try (Stream<Path> files = Files.list(actual)) {
            assertEquals(List.of(), files.filter(file -> file.toString().endsWith(".part")).toList());
        }
    }

    /** Each file's identity on disk (file key, i.e. inode, and modification time): a rewrite changes it. */
    private static Map<String, List<Object>> identities(Path folder) throws IOException {
        Map<String, List<Object>> identities = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                identities.put(file.getFileName().toString(), Arrays.asList(attributes.fileKey(),
                        attributes.lastModifiedTime()));
            }
        }
        return identities;
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    private static List<Path> partsIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".part")).toList();
        }
    }

    private static long rangeStart(Request request) {
        assertTrue(request.range() != null && request.range().matches("bytes=\\d+-"), "range: " + request.range());
        return Long.parseLong(request.range().substring("bytes=".length(), request.range().length() - 1));
    }

    private static long sizeOf(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            long total = 0;
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    /** Polls {@code condition} every 10 ms for at most 5 s. */
    private static void waitUntil(IoCondition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.holds()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached within 5 s");
            Thread.sleep(10);
        }
    }

    @FunctionalInterface
    private interface IoCondition {
        boolean holds() throws IOException;
    }
}
