package io.lading.core.spi;

import io.lading.core.digest.Digest;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Upload sessions: bytes appended in order, then committed as a blob. Sessions are durable: they
 * survive a restart and can be resumed from {@link UploadState#size()}.
 *
 * <p>The store does not hash. The caller hashes the bytes as they stream in and, after a restart,
 * re-reads the session's data with {@link #read} to rebuild its hash state. The caller serialises
 * operations on one session; different sessions may be used concurrently.
 */
public interface UploadStore {

    /**
     * Creates an empty session with a fresh id for {@code repository}, owned by {@code owner} (stored
     * with it, so ownership survives a restart).
     */
    UploadState create(String repository, String owner, Instant now);

    /** Creates an empty session without an owner ({@link UploadState#NO_OWNER}). */
    default UploadState create(String repository, Instant now) {
        return create(repository, UploadState.NO_OWNER, now);
    }

    /** The session's state, or empty if there is no such session. */
    Optional<UploadState> get(String uploadId);

    /**
     * Appends all of {@code data} to the session, which must hold exactly {@code offset} bytes. If the
     * stream fails part way, the session is left holding exactly {@code offset} bytes (nothing of the
     * failed chunk stays), and the failure is rethrown.
     *
     * @return the number of bytes appended
     * @throws io.lading.core.error.RegistryException.UploadUnknown if there is no such session
     * @throws io.lading.core.error.RegistryException.RangeInvalid if the session does not hold offset bytes
     */
    long append(String uploadId, long offset, InputStream data);

    /** Opens the session's data from the start (to rebuild a hash after a restart). Caller closes it. */
    InputStream read(String uploadId);

    /**
     * Makes the session's bytes the blob {@code digest}, which the caller has verified, and removes the
     * session. Atomic: afterwards the blob is whole in the {@link BlobStore} or the session is unchanged.
     * If the blob already exists, the session's bytes are discarded and the existing blob kept.
     *
     * @return the committed blob
     */
    BlobInfo commit(String uploadId, Digest digest);

    /** Removes the session and its data. Cancelling a missing session is not an error. */
    void cancel(String uploadId);

    /** Calls {@code sink} for every session, in no particular order (for expiry). */
    void forEach(Consumer<UploadState> sink);
}
