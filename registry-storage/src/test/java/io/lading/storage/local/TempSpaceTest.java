package io.lading.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims of temp directories against the sweeps of other processes sharing the root. */
class TempSpaceTest {

    @TempDir
    Path root;

    /**
     * Nodes starting together on one root: another node's sweep meets a claim's new lock file in the moment
     * between its creation and its locking, finds it unlocked and removes it as a dead node's. The claim must
     * notice and take another; a directory left without its lock file would be removed, in use, by the next
     * node to start (and the node that owned it could no longer spool uploads).
     */
    @Test
    void aClaimWhoseNewLockFileAnotherSweepRemovedTakesAnother() throws Exception {
        AtomicInteger windows = new AtomicInteger();
        TempSpace space = TempSpace.claim(root.resolve("tmp"), lockFile -> {
            if (windows.getAndIncrement() == 0) {
                try {
                    TempSpace.removeIfOrphan(lockFile); // what another process's claim does to every entry
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                assertFalse(Files.exists(lockFile), "the sweep took the still unlocked file for a dead node's");
            }
        });
        assertEquals(2, windows.get(), "the claim took a second lock file");
        Path dir = space.newPath().getParent();
        assertTrue(Files.isDirectory(dir));
        assertTrue(Files.exists(dir.resolveSibling(dir.getFileName() + ".lock")), "the claimed directory has its lock file");
    }
}
