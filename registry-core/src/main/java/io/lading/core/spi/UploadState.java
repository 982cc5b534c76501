package io.lading.core.spi;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A durable upload session.
 *
 * @param id lower-case UUID
 * @param repository the repository the session was opened for
 * @param owner the principal (ARN) that opened the session, who alone may use it; {@link #NO_OWNER} for a
 *     session opened without authentication (anyone may use it)
 * @param startedAt when the session was created
 * @param size bytes received so far
 * @param hashState the saved SHA-256 state ({@link io.lading.core.digest.Sha256State#encode}) of the bytes
 *     received as of some moment, or null if the store holds none: it is current only if its length is
 *     {@code size} (a store may keep one older than the data after a crash; the caller checks)
 */
public record UploadState(String id, String repository, String owner, Instant startedAt, long size,
        byte[] hashState) {

    /** The owner of sessions opened without authentication. */
    public static final String NO_OWNER = "";

    public UploadState {
        owner = owner == null ? NO_OWNER : owner;
        hashState = hashState == null ? null : hashState.clone();
    }

    /** A session without a saved hash state. */
    public UploadState(String id, String repository, String owner, Instant startedAt, long size) {
        this(id, repository, owner, startedAt, size, null);
    }

    @Override
    public byte[] hashState() {
        return hashState == null ? null : hashState.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UploadState u && u.id.equals(id) && u.repository.equals(repository) && u.owner.equals(owner)
                && u.startedAt.equals(startedAt) && u.size == size && Arrays.equals(u.hashState, hashState);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, repository, owner, startedAt, size) * 31 + Arrays.hashCode(hashState);
    }

    @Override
    public String toString() {
        return "UploadState[id=" + id + ", repository=" + repository + ", owner=" + owner + ", startedAt=" + startedAt
                + ", size=" + size + (hashState == null ? "" : ", with hash state") + "]";
    }

    /** A session without an owner. */
    public UploadState(String id, String repository, Instant startedAt, long size) {
        this(id, repository, NO_OWNER, startedAt, size);
    }

    /** Whether {@code caller} (an ARN, or {@link #NO_OWNER} when unauthenticated) may use this session. */
    public boolean usableBy(String caller) {
        return owner.equals(NO_OWNER) || owner.equals(caller);
    }
}
