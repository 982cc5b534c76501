package io.lading.core.spi;

import java.time.Instant;

/**
 * A durable upload session.
 *
 * @param id lower-case UUID
 * @param repository the repository the session was opened for
 * @param startedAt when the session was created
 * @param size bytes received so far
 */
public record UploadState(String id, String repository, Instant startedAt, long size) {
}
