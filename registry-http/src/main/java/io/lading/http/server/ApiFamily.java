package io.lading.http.server;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Optional;

/**
 * One API served by the front end (the OCI {@code /v2} API, the ECR JSON API). It claims requests,
 * routes them, and renders every error of its family in its own format, including errors raised before
 * a route runs (malformed requests, oversized bodies).
 */
public interface ApiFamily {

    /** Whether this family serves the request (decided on method, path and headers only). */
    boolean claims(HttpRequest request, String path);

    /**
     * Routes the request.
     *
     * @throws io.lading.core.error.RegistryException for a malformed name, digest or reference in the path
     */
    RouteMatch route(HttpRequest request, String path);

    /**
     * Routes the request knowing the connection's peer address ({@code aws:SourceIp} for authorization).
     * The default ignores the address.
     *
     * @param sourceIp the peer's IP address literal (no proxy is trusted), or null if unknown
     */
    default RouteMatch route(HttpRequest request, String path, String sourceIp) {
        return route(request, path);
    }

    /** Renders any failure of a route, or a protocol failure, as this family's error response. */
    Response renderError(Throwable failure, HttpMethod method);

    /** Renders a failure detected by the front end itself (body too large, malformed request). */
    Response renderProtocolError(ProtocolError error, HttpMethod method);

    /** Headers every response of this family carries. */
    void addCommonHeaders(HttpHeaders headers);

    /** Failures the front end detects before any route runs. */
    enum ProtocolError {
        MALFORMED_REQUEST,
        REQUEST_LINE_TOO_LONG,
        HEADERS_TOO_LARGE,
        BODY_TOO_LARGE
    }

    /** The family's route table as a lookup (used for the unknown-path fallback). */
    default Optional<String> name() {
        return Optional.empty();
    }
}
