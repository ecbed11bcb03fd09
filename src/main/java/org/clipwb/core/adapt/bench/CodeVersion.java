package org.clipwb.core.adapt.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.clipwb.core.util.Digests;

/**
 * The version of some code as the results cache sees it: a digest of the compiled classes of Java packages, read
 * from the class path (a folder of classes or the jar). A result stays valid while the code that produced it is
 * unchanged, whatever else changed in the build, so a rerun recomputes only the methods whose code changed.
 */
final class CodeVersion {
    private static final Map<String, String> PACKAGES = new ConcurrentHashMap<>();

    private CodeVersion() {
    }

    /** A digest of the classes of every given package (each package alone, not its sub-packages), in that order. */
    static String of(List<String> packageNames) {
        MessageDigest digest = Digests.sha256();
        for (String name : packageNames) {
            digest.update((name + "=" + PACKAGES.computeIfAbsent(name, CodeVersion::digestOf) + ";").getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return Digests.hex(digest).substring(0, 16);
    }

    private static String digestOf(String packageName) {
        String folder = packageName.replace('.', '/') + "/";
        try {
            Map<String, byte[]> classes = new TreeMap<>();
            Enumeration<URL> locations = CodeVersion.class.getClassLoader().getResources(folder);
            while (locations.hasMoreElements()) {
                classes.putAll(classFiles(locations.nextElement(), folder));
            }
            if (classes.isEmpty()) {
                throw new IllegalStateException("no compiled classes of package " + packageName + " on the class path");
            }
            MessageDigest digest = Digests.sha256();
            classes.forEach((name, bytes) -> {
                digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update(bytes);
            });
            return Digests.hex(digest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classes of package " + packageName, e);
        }
    }

    /** The .class files directly in {@code folder} of one class path location, by file name. */
    private static Map<String, byte[]> classFiles(URL location, String folder) throws IOException {
        Map<String, byte[]> classes = new TreeMap<>();
        if (location.getProtocol().equals("jar")) {
            JarURLConnection connection = (JarURLConnection) location.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                List<JarEntry> entries = new ArrayList<>();
                jar.stream().filter(e -> e.getName().startsWith(folder) && e.getName().endsWith(".class")
                        && e.getName().indexOf('/', folder.length()) < 0).forEach(entries::add);
                for (JarEntry entry : entries) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        classes.put(entry.getName().substring(folder.length()), in.readAllBytes());
                    }
                }
            }
            return classes;
        }
        Path directory;
        try {
            directory = Path.of(location.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("unsupported class path location " + location, e);
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".class")).toList()) {
                classes.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return classes;
    }
}
