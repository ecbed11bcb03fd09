package org.clipwb.core.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.clipwb.core.model.CheckpointLayout;
import org.clipwb.core.util.AtomicFiles;
import org.clipwb.core.util.Folders;
import org.clipwb.core.util.WorkbenchPaths;

/**
 * Turns a model spec into a local checkpoint folder. A spec is a folder (validated with
 * {@link CheckpointLayout#detect(Path)}, returned as given), the name of the model bundled with the workbench
 * ({@value #DEFAULT_MODEL}, extracted from the classpath into {@code <cache>/bundled/} on first use, see
 * {@link #resolve}), or a hub repo id {@code owner/name}, whose Hugging Face layout files are downloaded once into
 * {@code <cache>/owner--name/} and reused from then on without touching the network. In offline mode the network is
 * never used.
 *
 * <p>A repo's files all come from one commit: the first file's metadata pins the commit that {@code main} points to,
 * the others are asked for at that commit, and once the folder is complete the commit is recorded in
 * {@code .clipwb-commit}. The weights are {@code model.safetensors}, or {@code pytorch_model.bin} when the repo has
 * no safetensors file (many older repos, {@code openai/clip-vit-base-patch32} among them).
 */
public final class ModelStore {
    /**
     * The model used when the user names none: the demo model bundled with the workbench, which needs no download and
     * works offline.
     */
    public static final String DEFAULT_MODEL = "demo";

    /**
     * The models offered by name, the bundled demo model first; any other {@code owner/name} repo in the Hugging Face
     * layout works too.
     */
    public static final List<KnownModel> KNOWN_MODELS = List.of(
            new KnownModel(DEFAULT_MODEL, "Demo CLIP trained by this project on a synthetic world of shapes and "
                    + "colours (64 px): small and quick, for trying the workbench out", true),
            new KnownModel("openai/clip-vit-base-patch32",
                    "OpenAI CLIP ViT-B/32, about 600 MB: the fastest, a good first choice on a CPU", false),
            new KnownModel("openai/clip-vit-base-patch16",
                    "OpenAI CLIP ViT-B/16, about 600 MB: more accurate than B/32, several times slower per image",
                    false),
            new KnownModel("openai/clip-vit-large-patch14",
                    "OpenAI CLIP ViT-L/14, about 1.7 GB: the most accurate here, much slower, needs more memory",
                    false),
            new KnownModel("laion/CLIP-ViT-B-32-laion2B-s34B-b79K",
                    "OpenCLIP ViT-B/32 trained on LAION-2B, about 600 MB: B/32 speed, better zero-shot than OpenAI's",
                    false));

    /** The subfolder of the cache where bundled models are extracted (not an {@code owner--name} repo folder). */
    private static final String BUNDLED_FOLDER = "bundled";

    /** The file in a repo folder that names the commit of its files, written once the folder is complete. */
    static final String COMMIT_FILE = ".clipwb-commit";

    /**
     * The files fetched for a repo before its weights, in download order; the first one's metadata pins the commit.
     * The weights come last, so that a model whose weights arrived has also been offered every optional file.
     */
    private static final List<RepoFile> CONFIG_AND_TOKENIZER_FILES = List.of(
            new RepoFile(CheckpointLayout.HUGGING_FACE.configFile(), true),
            new RepoFile(CheckpointLayout.HUGGING_FACE_PREPROCESSOR_FILE, true),
            new RepoFile("vocab.json", true),
            new RepoFile("merges.txt", true),
            new RepoFile("tokenizer_config.json", false),
            new RepoFile("special_tokens_map.json", false));

    /** The weights files a repo may offer, in order of preference; one of them is downloaded. */
    private static final List<String> WEIGHTS_FILES = CheckpointLayout.HUGGING_FACE.weightsFiles();

    private record RepoFile(String name, boolean required) {
    }

    private final Path cacheDir;
    private final HubClient hub;
    private final boolean offline;

    /**
     * A store over {@code cacheDir} (created on the first download).
     *
     * @param hub     the client used for downloads; never called when {@code offline}
     * @param offline when true, an uncached repo id is an error instead of a download
     */
    public ModelStore(Path cacheDir, HubClient hub, boolean offline) {
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.offline = offline;
    }

    /** A store configured from the process environment; see {@link #fromEnvironment(Map)}. */
    public static ModelStore fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * A store configured from {@code env}: {@code CLIPWB_CACHE} (cache folder, default {@code models/} under
     * {@code CLIPWB_HOME}, see {@link WorkbenchPaths}); offline mode, never using the network, when
     * {@code CLIPWB_OFFLINE} or huggingface_hub's {@code HF_HUB_OFFLINE} (or, unset, {@code TRANSFORMERS_OFFLINE}) is
     * 1, on, yes or true in any case; and the hub settings that {@link HubClient#fromEnvironment(Map)} reads (endpoint,
     * token, proxies).
     */
    public static ModelStore fromEnvironment(Map<String, String> env) {
        String cache = env.get("CLIPWB_CACHE");
        Path cacheDir = cache == null || cache.isBlank() ? WorkbenchPaths.home(env).resolve("models")
                : Path.of(cache.strip());
        boolean offline = HubEnvironment.isTrue(env.get("CLIPWB_OFFLINE")) || HubEnvironment.offline(env);
        return new ModelStore(cacheDir, HubClient.fromEnvironment(env), offline);
    }

    /** {@code models/} in the workbench's data folder ({@link WorkbenchPaths#home()}). */
    public static Path defaultCacheDir() {
        return WorkbenchPaths.home().resolve("models");
    }

    /** The folder that holds one subfolder per downloaded repo. */
    public Path cacheDir() {
        return cacheDir;
    }

    /** Whether this store never uses the network. */
    public boolean offline() {
        return offline;
    }

    /** This store in offline mode: the same cache, and never the network. */
    public ModelStore inOfflineMode() {
        return offline ? this : new ModelStore(cacheDir, hub, true);
    }

    /**
     * The checkpoint folder for {@code modelSpec}: an existing folder (in either layout) as given, the bundled
     * {@value #DEFAULT_MODEL} model, or the cache folder of a repo id, downloading what is missing first (resuming an
     * interrupted download). An existing folder wins over a repo id of the same spelling. For {@value #DEFAULT_MODEL},
     * a folder of that name in the working directory wins only when it holds a complete checkpoint: any other
     * folder called so (of images, say) does not hide the bundled model, which is the default.
     *
     * <p>The bundled model is extracted to {@code <cache>/bundled/demo-<12 hex digits of its SHA-256>/} on first
     * use, atomically, and reused without writing until the bundled files change; this never uses the network.
     *
     * @param listener receives the progress of each downloaded file, and notes (which weights file, waits, retries)
     * @throws ModelStoreException  the spec is none of these, the folder is not a complete checkpoint, the model is
     *                              not cached in offline mode, a download failed (see {@link HubClient#download}),
     *                              or the bundled model is missing from the application (a broken build)
     * @throws InterruptedException the thread was interrupted during a download; a later call resumes it
     */
    public Path resolve(String modelSpec, DownloadListener listener) throws IOException, InterruptedException {
        Optional<Path> folder = existingPath(modelSpec);
        if (BundledModel.DEMO.name().equals(modelSpec) && folder.filter(ModelStore::isCheckpoint).isEmpty()) {
            return BundledModel.DEMO.extract(cacheDir.resolve(BUNDLED_FOLDER));
        }
        if (folder.isPresent()) {
            if (!Files.isDirectory(folder.get())) {
                throw new ModelStoreException(modelSpec + " is a file; pass the folder that holds the checkpoint "
                        + "(config.json, model.safetensors, vocab.json, merges.txt, ...)");
            }
            CheckpointLayout.detect(folder.get());
            return folder.get();
        }
        RepoId repo = RepoId.tryParse(modelSpec).orElseThrow(() -> new ModelStoreException("'" + modelSpec
                + "' is neither an existing folder nor a Hugging Face repo id (owner/name). Known models: "
                + String.join(", ", KNOWN_MODELS.stream().map(KnownModel::spec).toList())));
        Path repoFolder = folderOf(repo);
        List<String> missing = missingRequiredFiles(repoFolder);
        if (missing.isEmpty()) {
            return repoFolder;
        }
        if (offline) {
            throw new ModelStoreException("model " + repo + " is not in the cache (" + repoFolder + (Files.isDirectory(
                    repoFolder) ? ", incomplete: missing " + String.join(", ", missing) : "") + ") and offline mode is "
                    + "on (--offline, CLIPWB_OFFLINE or HF_HUB_OFFLINE): run once online to download it, or pass a "
                    + "local folder that holds a checkpoint");
        }
        download(repo, repoFolder, listener);
        CheckpointLayout.detect(repoFolder);
        return repoFolder;
    }

    /**
     * Whether {@link #resolve} needs no network for this repo id, because every required file is in the cache, or for
     * the bundled {@value #DEFAULT_MODEL} model, which never needs it.
     */
    public boolean isCached(String spec) throws ModelStoreException {
        return BundledModel.DEMO.name().equals(spec) || missingRequiredFiles(folderOf(parseRepoId(spec))).isEmpty();
    }

    /**
     * The repo folders in the cache, complete or not, sorted by repo id; empty when the cache does not exist. The
     * folder of extracted bundled models is not one of them.
     */
    public List<CachedModel> listCached() throws IOException {
        if (!Files.isDirectory(cacheDir)) {
            return List.of();
        }
        List<CachedModel> models = new ArrayList<>();
        try (Stream<Path> entries = Files.list(cacheDir)) {
            for (Path folder : entries.filter(Files::isDirectory).toList()) {
                Optional<RepoId> repo = RepoId.fromFolderName(folder.getFileName().toString());
                if (repo.isPresent()) {
                    models.add(new CachedModel(repo.get().toString(), folder, missingRequiredFiles(folder).isEmpty(),
                            Folders.sizeOnDisk(folder)));
                }
            }
        }
        models.sort(Comparator.comparing(CachedModel::repoId));
        return models;
    }

    /**
     * Deletes a repo's cache folder with everything in it. Refuses while a download of the repo is running.
     *
     * @throws ModelStoreException the repo is not cached, or one of its files is being downloaded
     */
    public void delete(String repoId) throws IOException {
        RepoId repo = parseRepoId(repoId);
        Path folder = folderOf(repo);
        if (!Files.isDirectory(folder)) {
            throw new ModelStoreException("model " + repo + " is not in the cache (" + folder + ")");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path file : files) {
            if (file.getFileName().toString().endsWith(".lock")) {
                requireUnlocked(file, repo);
            }
        }
        for (Path file : files) {
            Files.delete(file);
        }
    }

    /**
     * Downloads what the folder lacks, every file from the commit that {@code main} points to now. A file already
     * there is kept without a request when the folder was completed at that commit, and otherwise only when its bytes
     * match the commit's (an unfinished download of an older commit).
     */
    private void download(RepoId repo, Path folder, DownloadListener listener) throws IOException, InterruptedException {
        HubFile config = hub.metadata(repo, HubClient.DEFAULT_REVISION, CONFIG_AND_TOKENIZER_FILES.get(0).name(),
                listener);
        String commit = config.commit();
        boolean completedAtThisCommit = recordedCommit(folder).filter(commit::equals).isPresent();
        for (RepoFile file : CONFIG_AND_TOKENIZER_FILES) {
            if (completedAtThisCommit && Files.isRegularFile(folder.resolve(file.name()))) {
                continue;
            }
            try {
                HubFile remote = file.name().equals(config.file()) ? config
                        : hub.metadata(repo, commit, file.name(), listener);
                fetch(remote, folder, listener);
            } catch (HubHttpException e) {
                if (file.required() || e.statusCode() != 404) {
                    throw e;
                }
            }
        }
        if (!(completedAtThisCommit && hasWeights(folder))) {
            fetch(weights(repo, commit, listener), folder, listener);
        }
        AtomicFiles.write(folder.resolve(COMMIT_FILE), (commit + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** The first of the weights files, in order of preference, that the repo has at {@code commit}. */
    private HubFile weights(RepoId repo, String commit, DownloadListener listener)
            throws IOException, InterruptedException {
        for (String name : WEIGHTS_FILES) {
            try {
                HubFile weights = hub.metadata(repo, commit, name, listener);
                if (!name.equals(WEIGHTS_FILES.get(0))) {
                    listener.onNote(repo + " has no " + WEIGHTS_FILES.get(0) + "; downloading its " + name
                            + " (PyTorch weights) instead");
                }
                return weights;
            } catch (HubHttpException e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
            }
        }
        throw new ModelStoreException("repo " + repo + " has none of " + String.join(", ", WEIGHTS_FILES)
                + " at commit " + HubClient.shortCommit(commit) + ", so it holds no CLIP weights in the Hugging Face "
                + "layout; pick another repo, or download its checkpoint by hand and pass the folder");
    }

    /** Downloads {@code remote} into the folder, replacing a file of that name that holds other bytes. */
    private void fetch(HubFile remote, Path folder, DownloadListener listener) throws IOException, InterruptedException {
        Path target = folder.resolve(remote.file());
        if (Files.isRegularFile(target)) {
            if (remote.isContentOf(target)) {
                return;
            }
            listener.onNote(remote.file() + " changed on the hub since it was downloaded; downloading commit "
                    + HubClient.shortCommit(remote.commit()) + "'s version");
            Files.delete(target);
        }
        hub.download(remote, target, listener);
    }

    /** The commit recorded in a complete repo folder, or empty when none (or no valid one) is. */
    private static Optional<String> recordedCommit(Path folder) throws IOException {
        Path file = folder.resolve(COMMIT_FILE);
        return Files.isRegularFile(file)
                ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII).strip()).filter(HubFile::isCommit)
                : Optional.empty();
    }

    private Path folderOf(RepoId repo) {
        return cacheDir.resolve(repo.folderName());
    }

    /** The required files that {@code folder} lacks; either weights file will do. */
    private static List<String> missingRequiredFiles(Path folder) {
        List<String> missing = new ArrayList<>(CONFIG_AND_TOKENIZER_FILES.stream().filter(RepoFile::required)
                .map(RepoFile::name).filter(name -> !Files.isRegularFile(folder.resolve(name))).toList());
        if (!hasWeights(folder)) {
            missing.add(String.join(" or ", WEIGHTS_FILES));
        }
        return missing;
    }

    private static boolean hasWeights(Path folder) {
        return WEIGHTS_FILES.stream().anyMatch(name -> Files.isRegularFile(folder.resolve(name)));
    }

    private static boolean isCheckpoint(Path folder) {
        try {
            CheckpointLayout.detect(folder);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> existingPath(String spec) {
        try {
            Path path = Path.of(spec);
            return Files.exists(path) ? Optional.of(path) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static RepoId parseRepoId(String repoId) throws ModelStoreException {
        return RepoId.tryParse(repoId).orElseThrow(() -> new ModelStoreException("'" + repoId
                + "' is not a Hugging Face repo id (owner/name)"));
    }

    private static void requireUnlocked(Path lockFile, RepoId repo) throws IOException {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                lock.release();
                return;
            }
        } catch (OverlappingFileLockException e) {
            // Held by a download in this process.
        }
        throw new ModelStoreException("model " + repo + " is being downloaded (" + lockFile + " is locked); cancel "
                + "the download before deleting it");
    }
}
