package io.lading.http.server;

import java.time.Duration;

/**
 * Network settings of the front end.
 *
 * @param host the address to bind
 * @param port the port (0 picks a free one)
 * @param maxInitialLineLength longest request line accepted
 * @param maxHeaderSize largest header block accepted
 * @param idleTimeout a connection with no traffic for this long is closed (see {@code RequestHandler#idleMeansGone})
 * @param bodyBufferBytes how many request-body bytes may queue per upload before reading pauses
 * @param bodyMemoryBytes request-body bytes held in memory at once over all connections ({@link BodyBudget})
 * @param concurrentUploads streamed bodies (blob uploads) written at once; more wait, reading nothing
 */
public record ServerSettings(String host, int port, int maxInitialLineLength, int maxHeaderSize,
        Duration idleTimeout, int bodyBufferBytes, long bodyMemoryBytes, int concurrentUploads) {
}
