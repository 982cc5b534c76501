package io.lading.storage.local;

import io.lading.core.digest.Digest;
import io.lading.core.spi.BlobInfo;
import java.nio.file.Path;

/**
 * Where {@link LocalDiskUploadStore#commit} puts a session's verified bytes when blobs do not live on
 * the storage root's filesystem (an object store). The upload store calls it with the session claimed
 * (no append can change the data meanwhile) and retires the session only after it returned.
 */
public interface BlobTarget {

    /**
     * Stores the {@code size} bytes of {@code data} as the blob {@code digest}, whole or not at all: a
     * failed or interrupted call leaves no blob and nothing half-written visible. If the blob is already
     * stored (by an earlier commit, or by another node at the same moment), the existing one is kept and
     * returned. May read {@code data} more than once (a retried request); never changes it.
     *
     * @return the stored blob
     * @throws io.lading.core.error.RegistryException.StorageFailure if the storage cannot be written
     */
    BlobInfo store(Path data, long size, Digest digest);
}
