package org.clipwb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code clipwb} launcher's preload of {@code packaging/native/mkl-intel-path.c} on AMD CPUs: when it happens,
 * when it does not, and that embeddings through the preloaded library equal those of MKL's default path.
 *
 * <p>The launcher runs in a copy of the repository's layout with a stand-in {@code java} on the path that prints
 * what it was given, so these tests need no built jar. They run where the launcher does (bash on Linux x86-64) and
 * are skipped elsewhere, saying why.
 */
class LauncherMklPathTest {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath();

    @TempDir
    Path temp;

    @Test
    void preloadsTheLibraryOnAmdCpusWhenACompilerIsThere() throws Exception {
        assumeLauncherPlatform();
        Path repo = launcherCopy();
        Result run = launch(repo, Map.of(), searchPath(true));
        Path shim = repo.resolve("target/mkl-intel-path.so");
        if (amdCpu() && onPath("cc")) {
            assertTrue(Files.isRegularFile(shim), "the launcher compiles the library once");
            assertTrue(run.preload().startsWith(shim.toString()), run.output());
            assertTrue(run.output().contains("args=-Xmx6g"), "the command still runs: " + run.output());
        } else {
            assertFalse(run.preload().contains("mkl-intel-path"), "no preload on this CPU: " + run.output());
        }
    }

    @Test
    void anEnvironmentSwitchTurnsThePreloadOff() throws Exception {
        assumeLauncherPlatform();
        Result run = launch(launcherCopy(), Map.of("CLIPWB_MKL_INTEL_PATH", "0"), searchPath(true));
        assertFalse(run.preload().contains("mkl-intel-path"), run.output());
    }

    @Test
    void aFolderWhosePathLdPreloadWouldSplitIsNotPreloaded() throws Exception {
        assumeLauncherPlatform();
        Path repo = launcherCopy(Files.createDirectories(temp.resolve("my models")));
        Result run = launch(repo, Map.of(), searchPath(true));
        assertFalse(run.preload().contains("mkl-intel-path"), run.output());
        assertTrue(run.output().contains("args=-Xmx6g"), run.output());
    }

    @Test
    void withoutACompilerTheCommandRunsAsBeforeAndTheAttemptIsNotRepeated() throws Exception {
        assumeLauncherPlatform();
        assumeTrue(amdCpu(), "the launcher preloads only on AMD CPUs, and this one is not");
        Path repo = launcherCopy();
        Path marker = repo.resolve("target/mkl-intel-path.so.failed");
        Result first = launch(repo, Map.of(), searchPath(false));
        assertFalse(first.preload().contains("mkl-intel-path"), first.output());
        assertTrue(first.output().contains("args=-Xmx6g"), first.output());
        assertTrue(Files.isRegularFile(marker), "a failed attempt leaves a marker");
        FileTime markedAt = Files.getLastModifiedTime(marker);
        launch(repo, Map.of(), searchPath(false));
        assertEquals(markedAt, Files.getLastModifiedTime(marker), "the marker stops a second attempt");
    }

    @Test
    void embeddingsThroughThePreloadedLibraryEqualTheDefaultPath() throws Exception {
        assumeLauncherPlatform();
        assumeTrue(onPath("cc"), "no C compiler (cc) on the path to build the library with");
        Path repo = launcherCopy();
        launch(repo, Map.of(), searchPath(true));
        Path shim = repo.resolve("target/mkl-intel-path.so");
        assumeTrue(Files.isRegularFile(shim), "the launcher builds the library only on AMD CPUs");
        float[][] plain = embedInChildJvm(null, temp.resolve("plain.csv"));
        float[][] preloaded = embedInChildJvm(shim, temp.resolve("preloaded.csv"));
        assertEquals(plain.length, preloaded.length);
        double largest = 0;
        for (int i = 0; i < plain.length; i++) {
            for (int j = 0; j < plain[i].length; j++) {
                largest = Math.max(largest, Math.abs(plain[i][j] - preloaded[i][j]));
            }
        }
        assertTrue(largest <= 1e-6, "largest difference " + largest);
    }

    @Test
    void theBenchmarkSaysWhenTheLibraryIsPreloaded() {
        assertTrue(BenchmarkCommand.mklPathNote(Map.of("LD_PRELOAD", "/opt/clipwb/target/mkl-intel-path.so:/x.so"))
                .orElseThrow().contains("Intel kernel path"));
        assertTrue(BenchmarkCommand.mklPathNote(Map.of("LD_PRELOAD", "/x.so")).isEmpty());
        assertTrue(BenchmarkCommand.mklPathNote(Map.of()).isEmpty());
    }

    private static void assumeLauncherPlatform() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the clipwb launcher's MKL preload is for Linux on x86-64");
        assumeTrue(onPath("bash"), "bash is not on the path");
    }

    private static boolean amdCpu() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .anyMatch(line -> line.matches("vendor_id\\s*:\\s*AuthenticAMD"));
    }

    private static boolean onPath(String command) {
        return which(command) != null;
    }

    /** The launcher and the library's source in a folder of their own, with a jar and an archive that look built. */
    private Path launcherCopy() throws IOException {
        return launcherCopy(temp);
    }

    private static Path launcherCopy(Path parent) throws IOException {
        Path repo = Files.createTempDirectory(parent, "repo");
        Files.copy(REPOSITORY.resolve("clipwb"), repo.resolve("clipwb"));
        Files.createDirectories(repo.resolve("packaging/native"));
        Files.copy(REPOSITORY.resolve("packaging/native/mkl-intel-path.c"),
                repo.resolve("packaging/native/mkl-intel-path.c"));
        Path target = Files.createDirectories(repo.resolve("target"));
        Path jar = Files.writeString(target.resolve("clip-workbench.jar"), "not a jar");
        Path archive = Files.writeString(target.resolve("clip-workbench.jsa"), "not an archive");
        // The class-data archive is newer than the jar, so the launcher does not try to make one.
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now()));
        return repo;
    }

    /**
     * A folder for PATH: a stand-in {@code java} that prints its LD_PRELOAD and arguments, and the tools the launcher
     * uses, {@code cc} among them only when asked.
     */
    private Path searchPath(boolean withCompiler) throws IOException {
        Path bin = Files.createTempDirectory(temp, "bin");
        executable(bin.resolve("java"), "#!/bin/sh\necho \"LD_PRELOAD=${LD_PRELOAD:-}\"\necho \"args=$*\"\n");
        List<String> tools = new ArrayList<>(List.of("bash", "dirname", "uname", "grep", "mv", "rm"));
        if (withCompiler) {
            tools.addAll(List.of("cc", "as", "ld"));
        }
        for (String tool : tools) {
            Path real = which(tool);
            if (real != null) {
                // A script rather than a link: JUnit warns about links that leave the temporary folder.
                executable(bin.resolve(tool), "#!/bin/sh\nexec '" + real + "' \"$@\"\n");
            }
        }
        return bin;
    }

    private static void executable(Path file, String script) throws IOException {
        Files.writeString(file, script);
        assertTrue(file.toFile().setExecutable(true));
    }

    private static Path which(String command) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private record Result(String preload, String output) {
    }

    private Result launch(Path repo, Map<String, String> environment, Path searchPath) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(which("bash").toString(), repo.resolve("clipwb").toString(),
                "embed", "--help").redirectErrorStream(true);
        builder.environment().remove("LD_PRELOAD");
        builder.environment().remove("CLIPWB_JAVA_OPTS");
        builder.environment().putAll(environment);
        builder.environment().put("PATH", searchPath.toString());
        String output = run(builder);
        String preload = output.lines().filter(line -> line.startsWith("LD_PRELOAD=")).findFirst()
                .map(line -> line.substring("LD_PRELOAD=".length())).orElse("");
        return new Result(preload, output);
    }

    /** Embeds the fixture's images with the tiny model in a JVM of its own, with {@code shim} preloaded if given. */
    private float[][] embedInChildJvm(Path shim, Path csv) throws Exception {
        Path javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(javaBinary.toString(), "-cp",
                System.getProperty("java.class.path"), "-Dai.djl.offline=true", ClipWorkbenchCli.class.getName(),
                "embed", "--no-cache", "--model", TestData.tinyClip().resolve("hf").toString(), "--images",
                TestData.tinyClip().resolve("images").toString(), "--out", csv.toString())
                .redirectErrorStream(true);
        builder.environment().remove("LD_PRELOAD");
        if (shim != null) {
            builder.environment().put("LD_PRELOAD", shim.toString());
        }
        builder.environment().put("CLIPWB_HOME", temp.resolve("home").toString());
        builder.environment().put("MKL_CBWR", "AUTO,STRICT");
        String output = run(builder);
        assertTrue(Files.isRegularFile(csv), output);
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        float[][] rows = new float[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            rows[i - 1] = new float[cells.length - 1];
            for (int j = 1; j < cells.length; j++) {
                rows[i - 1][j - 1] = Float.parseFloat(cells[j]);
            }
        }
        assertTrue(rows.length > 0, output);
        return rows;
    }

    private static String run(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timed out: " + output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
