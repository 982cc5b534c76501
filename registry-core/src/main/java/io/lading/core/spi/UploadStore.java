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
 * <p>The store does not hash. The caller hashes the bytes as they stream in and saves the hash's state
 * after each append ({@link #saveHashState}), so the next append, on any node or after a restart,
 * continues it; only a session without a current saved state (a store that keeps none, or a crash
 * between an append and its save) is re-read with {@link #read} to rebuild it. The caller serialises
 * operations on one session; different sessions may be used concurrently, and one session's
 * operations never wait for another's (an append reads from a client at the client's pace, so a
 * store must not hold anything shared while it reads). A store still defends a session against a
 * caller that does not serialise: while an append is writing, a second append or a commit of that
 * session is refused with {@code RangeInvalid}, and {@link #get} reports the size the session had
 * before the running append (its bytes count once they are all stored).
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
     * @throws io.lading.core.error.RegistryException.RangeInvalid if the session does not hold offset
     *     bytes, or another append or a commit of it is running
     */
    long append(String uploadId, long offset, InputStream data);

    /**
     * Keeps {@code hashState}, the caller's SHA-256 state ({@link io.lading.core.digest.Sha256State#encode})
     * after the session's bytes so far, for {@link UploadState#hashState()}. It need not be durable with the
     * data: the caller uses a saved state only if its length is the session's size. A store that keeps
     * none ignores it (the default); a missing session is not an error.
     */
    default void saveHashState(String uploadId, byte[] hashState) {
    }

    /** Opens the session's data from the start (to rebuild a hash with no current saved state). Caller closes it. */
    InputStream read(String uploadId);

    /**
     * Makes the session's bytes the blob {@code digest}, which the caller has verified, and removes the
     * session. Atomic: afterwards the blob is whole in the {@link BlobStore} or the session is unchanged.
     * If the blob already exists, the session's bytes are discarded and the existing blob kept.
     *
     * @return the committed blob
     * @throws io.lading.core.error.RegistryException.RangeInvalid if an append to the session is running
     */
    BlobInfo commit(String uploadId, Digest digest);

    /** Removes the session and its data. Cancelling a missing session is not an error. */
    void cancel(String uploadId);

    /** Calls {@code sink} for every session, in no particular order (for expiry). */
    void forEach(Consumer<UploadState> sink);
}
