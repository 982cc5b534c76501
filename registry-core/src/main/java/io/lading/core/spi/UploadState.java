package io.lading.core.spi;

import java.time.Instant;

/**
 * A durable upload session.
 *
 * @param id lower-case UUID
 * @param repository the repository the session was opened for
 * @param owner the principal (ARN) that opened the session, who alone may use it; {@link #NO_OWNER} for a
 *     session opened without authentication (anyone may use it)
 * @param startedAt when the session was created
 * @param size bytes received so far
 */
public record UploadState(String id, String repository, String owner, Instant startedAt, long size) {

    /** The owner of sessions opened without authentication. */
    public static final String NO_OWNER = "";

    public UploadState {
        owner = owner == null ? NO_OWNER : owner;
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
