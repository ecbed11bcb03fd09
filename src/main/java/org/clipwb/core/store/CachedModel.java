package org.clipwb.core.store;

import java.nio.file.Path;

/**
 * A model folder in the cache.
 *
 * @param repoId    the hub repo id it was downloaded from
 * @param folder    its folder, usable as a checkpoint folder when {@code complete}
 * @param complete  whether every required file is there (false after an interrupted download, which resumes)
 * @param sizeBytes the bytes it takes on disk, partial files included
 */
public record CachedModel(String repoId, Path folder, boolean complete, long sizeBytes) {
}
