package org.clipwb.core.store;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RepoIdTest {
    @Test
    void parsesRepoIdsAndMapsThemToReversibleFolderNames() {
        RepoId repo = RepoId.parse("laion/CLIP-ViT-B-32-laion2B-s34B-b79K");

        assertEquals(new RepoId("laion", "CLIP-ViT-B-32-laion2B-s34B-b79K"), repo);
        assertEquals("laion/CLIP-ViT-B-32-laion2B-s34B-b79K", repo.toString());
        assertEquals("laion--CLIP-ViT-B-32-laion2B-s34B-b79K", repo.folderName());
        assertEquals(Optional.of(repo), RepoId.fromFolderName(repo.folderName()));
    }

    @Test
    void rejectsWhatIsNotARepoId() {
        for (String spec : new String[] {"clip", "a/b/c", "../x", "a/..", "/abs/path", "a--b/c", "-a/b", "a/b.",
                "a/b c", "a/", "./models"}) {
            assertEquals(Optional.empty(), RepoId.tryParse(spec), spec);
        }
        assertEquals(Optional.empty(), RepoId.fromFolderName("not-a-repo"));
        assertThrows(IllegalArgumentException.class, () -> RepoId.parse("clip"));
    }
}
