package io.lading.storage.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.RangeInvalid;
import io.lading.core.spi.UploadState;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes sharing one storage root: while another process holds a session's data file (an append or a
 * commit on another node), this node neither appends to it nor commits it, and once it is free both work.
 */
class UploadSessionsAcrossNodesTest {

    @TempDir
    Path root;

    @TempDir
    Path scratch;

    @Test
    void anotherNodesClaimOnASessionRefusesAppendAndCommitHere() throws Exception {
        LocalDiskUploadStore store = new LocalDiskUploadStore(root);
        UploadState session = store.create("team/app", "owner", Instant.now());
        store.append(session.id(), 0, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        Path data = new LocalDiskLayout(root).uploadData(session.id());
        try (OtherProcessLock other = OtherProcessLock.on(data, scratch)) {
            RangeInvalid append = assertThrows(RangeInvalid.class,
                    () -> store.append(session.id(), 3, new ByteArrayInputStream(new byte[] {4})));
            assertEquals(3, append.currentSize(), "the refusal reports the session's size, unchanged");
            assertThrows(RangeInvalid.class, () -> store.commit(session.id(), Digest.sha256(new byte[] {1, 2, 3})));
            assertEquals(3, store.get(session.id()).orElseThrow().size());
        }
        store.append(session.id(), 3, new ByteArrayInputStream(new byte[] {4}));
        Digest digest = Digest.sha256(new byte[] {1, 2, 3, 4});
        store.commit(session.id(), digest);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Files.readAllBytes(new LocalDiskLayout(root).blob(digest)));
    }
}
