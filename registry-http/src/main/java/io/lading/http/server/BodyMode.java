package io.lading.http.server;

/** How a route wants its request body. */
public enum BodyMode {
    /** The route reads no body; any body sent is discarded. */
    NONE,
    /** Small bodies (manifests, JSON) gathered in memory up to the route's limit. */
    AGGREGATE,
    /** Blob bodies streamed through a bounded {@link BodyPipe} while the route runs. */
    STREAM
}
