package org.clipwb.core.adapt;

import java.nio.file.Path;
import java.util.Optional;
import org.clipwb.core.model.Clip;

/**
 * What a method that changes the image encoder needs beyond embeddings (CoFT's visual prompts and full fine-tuning):
 * the loaded model and where the image files of the data's keys are. Target keys are relative to the target folder,
 * test keys to the test folder; absolute keys (labeled shots from elsewhere) are files as they are.
 *
 * @param clip the model the embeddings were made with; its weights are never changed by a method
 * @param targetRoot the folder the target keys are relative to
 * @param testRoot the folder the test keys are relative to, when there is a test set
 */
public record ImageSource(Clip clip, Path targetRoot, Optional<Path> testRoot) {

    /** The file of a target image or a labeled shot. */
    public Path targetFile(String key) {
        return resolve(targetRoot, key);
    }

    /** The file of a test image. */
    public Path testFile(String key) {
        return resolve(testRoot.orElseThrow(() -> new IllegalStateException("the image source has no test folder")),
                key);
    }

    private static Path resolve(Path root, String key) {
        Path path = Path.of(key);
        return path.isAbsolute() ? path : root.resolve(path);
    }
}
