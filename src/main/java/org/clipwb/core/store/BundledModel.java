package org.clipwb.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.clipwb.core.model.CheckpointLayout;
import org.clipwb.core.util.AtomicFiles;
import org.clipwb.core.util.Digests;
import org.clipwb.core.util.Folders;

/**
 * A model shipped inside the application as classpath resources, in the Hugging Face layout. A jar's resources are
 * not a folder, so on first use the files are copied to {@code <root>/<name>-<digest>/}, where the digest (12 hex
 * digits of SHA-256) covers every bundled file: a later run of the same build reuses the folder without writing, a
 * build with other files gets a new folder. The folder appears by one rename of a complete temporary folder, so no
 * process, this one or another, ever sees it half-written. Nothing here uses the network.
 */
final class BundledModel {
    /** The files a bundled model consists of: a complete Hugging Face checkpoint with its preprocessing. */
    static final List<String> FILES = Stream.concat(CheckpointLayout.HUGGING_FACE.requiredFiles().stream(),
            Stream.of(CheckpointLayout.HUGGING_FACE_PREPROCESSOR_FILE)).toList();

    /** Characters of the hex digest in the folder name: enough to tell builds apart, short enough to read. */
    private static final int DIGEST_CHARS = 12;

    /** The demo model, trained by the workbench's own code: small, works offline, the default model. */
    static final BundledModel DEMO = new BundledModel(ModelStore.DEFAULT_MODEL, BundledModel.class.getClassLoader(),
            "org/clipwb/core/store/demo/");

    private final String name;
    private final ClassLoader loader;
    private final String resourceFolder;
    /** Memoised: the resources of a running application do not change. */
    private volatile String digest;

    /**
     * @param resourceFolder the resource path of the files, ending in '/', as {@link ClassLoader#getResource} takes it
     */
    BundledModel(String name, ClassLoader loader, String resourceFolder) {
        this.name = name;
        this.loader = loader;
        this.resourceFolder = resourceFolder;
    }

    /** The model spec that names it. */
    String name() {
        return name;
    }

    /**
     * The folder holding the model's files under {@code root}, extracting them first unless a complete folder for
     * these exact files is already there.
     *
     * @throws ModelStoreException a bundled file is missing from the classpath (a broken build)
     */
    Path extract(Path root) throws IOException {
        Path folder = root.resolve(name + "-" + digest().substring(0, DIGEST_CHARS));
        if (isComplete(folder)) {
            return folder;
        }
        // The folder appears complete, so one that exists and lacks a file was damaged (by a person or a disk
        // fault): start afresh. Checked in this order, a folder another process renames into place meanwhile is kept.
        if (Files.exists(folder) && !isComplete(folder)) {
            deleteAside(folder);
        }
        Files.createDirectories(root);
        Path temp = Files.createDirectory(root.resolve("." + folder.getFileName() + "." + UUID.randomUUID() + ".tmp"));
        try {
            for (String file : FILES) {
                try (InputStream in = open(file)) {
                    AtomicFiles.write(temp.resolve(file), in::transferTo);
                }
            }
            try {
                Files.move(temp, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Another process extracted the same files first; its folder is as good as ours.
                if (!isComplete(folder)) {
                    throw e;
                }
            }
        } finally {
            if (Files.exists(temp)) {
                Folders.deleteRecursively(temp);
            }
        }
        return folder;
    }

    /** Lower-case hex SHA-256 over every bundled file's name, length and bytes, in {@link #FILES} order. */
    String digest() throws IOException {
        String known = digest;
        if (known == null) {
            MessageDigest sha = Digests.sha256();
            for (String file : FILES) {
                sha.update(file.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                try (InputStream in = new DigestInputStream(open(file), sha)) {
                    long length = in.transferTo(OutputStream.nullOutputStream());
                    // The length after the bytes keeps the file boundaries unambiguous.
                    sha.update(ByteBuffer.allocate(Long.BYTES).putLong(length).array());
                }
            }
            known = Digests.hex(sha);
            digest = known;
        }
        return known;
    }

    private InputStream open(String file) throws ModelStoreException {
        InputStream in = loader.getResourceAsStream(resourceFolder + file);
        if (in == null) {
            throw new ModelStoreException("the bundled " + name + " model is incomplete: resource " + resourceFolder
                    + file + " is not on the classpath. The application was built without it: rebuild it (mvn "
                    + "package) or choose another model");
        }
        return in;
    }

    private static boolean isComplete(Path folder) {
        return FILES.stream().allMatch(file -> Files.isRegularFile(folder.resolve(file)));
    }

    /** Renames a folder out of the way (atomically, so a racing process sees it whole or gone), then deletes it. */
    private static void deleteAside(Path folder) throws IOException {
        Path aside = folder.resolveSibling("." + folder.getFileName() + "." + UUID.randomUUID() + ".stale");
        try {
            Files.move(folder, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return; // another process moved it already
        }
        Folders.deleteRecursively(aside);
    }
}
