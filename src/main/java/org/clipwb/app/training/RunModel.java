package org.clipwb.app.training;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.clipwb.core.model.Clip;
import org.clipwb.core.model.Precision;
import org.clipwb.core.store.DownloadListener;
import org.clipwb.core.store.ModelStore;
import org.clipwb.core.util.ProgressText;

/**
 * The model a run needs, off the FX thread: the window's model when it is the run's (same spec, fp32, same device),
 * else one loaded for the run and closed with it. The window's model is never closed here.
 */
public final class RunModel implements AutoCloseable {
    private final Clip clip;
    private final boolean owned;

    private RunModel(Clip clip, boolean owned) {
        this.clip = clip;
        this.owned = owned;
    }

    /**
     * The model {@code spec} on {@code device}.
     *
     * @param shared the window's model, or null
     * @param status told what is being done (looking up, downloading, loading)
     */
    public static RunModel of(Clip shared, String spec, Device device, Consumer<String> status)
            throws IOException, InterruptedException {
        if (shared != null && shared.name().equals(spec) && shared.precision() == Precision.FP32
                && shared.device().equals(device)) {
            return new RunModel(shared, false);
        }
        status.accept("Loading model " + spec);
        Path folder = ModelStore.fromEnvironment().resolve(spec, DownloadListener.of(download -> status.accept(
                "Downloading " + spec + ": " + ProgressText.bytes(download.bytesDone(), download.totalBytes(),
                        download.bytesPerSecond(), download.eta())), status));
        return new RunModel(Clip.load(folder, spec, device, Precision.FP32), true);
    }

    /** The model. */
    public Clip clip() {
        return clip;
    }

    @Override
    public void close() {
        if (owned) {
            clip.close();
        }
    }
}
