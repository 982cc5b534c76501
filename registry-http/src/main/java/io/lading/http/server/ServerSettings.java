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
 * @param headerTimeout a request head must arrive whole within this long ({@link HeadDeadline})
 * @param minBodyBytesPerSecond a body owed slower than this over a whole {@code bodyRateWindow} in which
 *     reading was on has its connection closed; 0 turns the check off
 * @param bodyRateWindow the span the body rate is judged over
 */
public record ServerSettings(String host, int port, int maxInitialLineLength, int maxHeaderSize,
        Duration idleTimeout, int bodyBufferBytes, long bodyMemoryBytes, int concurrentUploads,
        Duration headerTimeout, long minBodyBytesPerSecond, Duration bodyRateWindow) {

    public ServerSettings {
        if (headerTimeout == null || headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("server.headerTimeout must be a positive duration");
        }
        if (minBodyBytesPerSecond < 0) {
            throw new IllegalArgumentException("server.minBodyBytesPerSecond must be 0 (off) or more");
        }
        if (bodyRateWindow == null || bodyRateWindow.toMillis() < 1) {
            throw new IllegalArgumentException("server.bodyRateWindow must be a positive duration");
        }
    }
}
