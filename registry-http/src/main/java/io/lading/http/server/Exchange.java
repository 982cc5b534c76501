package io.lading.http.server;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * One request as a route sees it: method, decoded query, headers, path parameters and the body in the
 * mode the route asked for. Immutable except for the body stream, which is read once.
 *
 * @param pathParams what the router extracted (repository name, reference, upload id, ...)
 * @param body the streamed body ({@link BodyMode#STREAM}), or null
 * @param aggregated the whole body ({@link BodyMode#AGGREGATE}), or null
 * @param hasBody whether the client sent a body at all (Content-Length > 0 or chunked)
 * @param rawQuery the query string as received (still encoded, without {@code ?}), empty if none
 * @param inline whether the route runs on the event loop, where it must not block (see {@link WouldBlock})
 */
public record Exchange(
        HttpMethod method,
        String path,
        Map<String, List<String>> query,
        HttpHeaders headers,
        Map<String, String> pathParams,
        InputStream body,
        byte[] aggregated,
        boolean hasBody,
        String rawQuery,
        boolean inline) {

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> queryParams(String name) {
        return query.getOrDefault(name, List.of());
    }

    public String param(String name) {
        return pathParams.get(name);
    }
}
