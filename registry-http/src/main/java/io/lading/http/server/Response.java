package io.lading.http.server;

import io.lading.core.spi.BlobContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * What a route answers. Built on a worker (virtual) thread, written on the event loop by
 * {@link ResponseWriter}. A {@link Blob} response owns its content until it is written or discarded.
 */
public sealed interface Response {

    int status();

    HttpHeaders headers();

    /** A complete response with an in-memory body (empty for HEAD and 20x-without-body). */
    record Full(int status, HttpHeaders headers, byte[] body) implements Response {
    }

    /** A response whose body is a blob range (streamed zero-copy where possible). */
    record Blob(int status, HttpHeaders headers, BlobContent content, boolean headOnly) implements Response {
    }

    static Full empty(int status) {
        return new Full(status, new DefaultHttpHeaders(), new byte[0]);
    }

    static Full of(int status, HttpHeaders headers, byte[] body) {
        return new Full(status, headers, body);
    }
}
