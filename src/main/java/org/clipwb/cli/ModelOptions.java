package org.clipwb.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.Precision;
import org.clipwb.core.store.DownloadListener;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.util.ProgressText;
import picocli.CommandLine.Option;

/** Options shared by commands that run a CLIP model. */
final class ModelOptions {
    @Option(names = "--model", defaultValue = ModelStore.DEFAULT_MODEL, paramLabel = "M",
            description = "demo (the default: the small demo model bundled with the workbench, no download, works "
                    + "offline), a Hugging Face model id (e.g. openai/clip-vit-base-patch32, see 'clipwb models') "
                    + "or a local model folder in the Hugging Face or open_clip layout (safetensors or PyTorch .bin "
                    + "weights).")
    String model;

    @Option(names = "--offline", description = "Never use the network: the model must be the bundled demo, cached "
            + "or local (also CLIPWB_OFFLINE=1).")
    boolean offline;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu",
            description = "Where the model runs (default: ${DEFAULT-VALUE}, a GPU when there is one).")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|fp16",
            description = "fp32 reproduces the reference numbers; fp16 is several times faster on CPUs with AVX-512 "
                    + "FP16 or AMX and on GPUs, with embeddings within about 1e-3 (default: ${DEFAULT-VALUE}).")
    String precision;

    /**
     * Resolves (downloading if needed, with progress on {@code err}) and loads the model, saying on {@code err} which
     * weights file it read.
     */
    Clip load(PrintWriter err) throws IOException, InterruptedException {
        Clip clip = load(model, offline, deviceOnDemand(), Precision.parse(precision), err);
        err.printf("Loaded %s from %s (%s)%n", model, clip.weightsFile().getFileName(),
                clip.weightsFormat().displayName());
        return clip;
    }

    /**
     * Resolves a model spec through the model store (downloading with progress on {@code err}) and loads it onto the
     * device that {@code device} resolves to, which {@link Clip#load(Path, String, Supplier, Precision)} does while
     * it reads the weights.
     */
    static Clip load(String model, boolean offline, Supplier<Device> device, Precision precision, PrintWriter err)
            throws IOException, InterruptedException {
        ModelStore environment = ModelStore.fromEnvironment();
        ModelStore store = offline ? environment.inOfflineMode() : environment;
        Path folder;
        try (ConsoleProgress progress = new ConsoleProgress(err)) {
            folder = store.resolve(model, DownloadListener.of(
                    download -> progress.show(String.format("Downloading %s: %s", download.file(),
                            ProgressText.bytes(download.bytesDone(), download.totalBytes(), download.bytesPerSecond(),
                                    download.eta()))),
                    progress::note));
        }
        return Clip.load(folder, model, device, precision);
    }

    /** The precision asked for. */
    Precision precision() {
        return Precision.parse(precision);
    }

    /**
     * The device asked for, as {@link #load(String, boolean, Supplier, Precision, PrintWriter)} takes it: "auto" is
     * resolved by the engine when called, so that loading starts the engine while it reads the weights; a wrong value,
     * or "gpu" on a machine without one, fails here, before any download.
     */
    Supplier<Device> deviceOnDemand() {
        switch (device) {
            case "auto":
                return () -> Engine.getInstance().defaultDevice();
            case "cpu":
                return Device::cpu;
            case "gpu":
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new IllegalArgumentException("--device gpu: no CUDA GPU is visible to PyTorch "
                            + "(see README, GPU)");
                }
                return Device::gpu;
            default:
                throw new IllegalArgumentException("--device must be auto, cpu or gpu, not " + device);
        }
    }
}
