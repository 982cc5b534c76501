package io.lading.http.admin;

import io.lading.http.oci.DataPlaneAuth;
import io.lading.http.oci.OciApi;
import io.lading.http.oci.OciErrorCode;
import io.lading.http.oci.OciErrorException;
import io.lading.http.oci.SimpleRoute;
import io.lading.http.server.ApiFamily;
import io.lading.http.server.Response;
import io.lading.http.server.Route;
import io.lading.http.server.RouteMatch;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * Operator endpoints under {@code /_lading/}, each an {@link AdminEndpoint} that declares its method and
 * query parameters: {@code POST /_lading/gc?dryRun=true|false} and {@code POST /_lading/expire?dryRun=true|false}
 * run garbage collection or the lifecycle expirer now and answer with a JSON report; {@code POST
 * /_lading/rotate-signing-key} rotates the password signing key ({@link SigningKeyRotation}); {@code GET
 * /_lading/metrics} answers counters. Authenticated like {@code /v2} (Basic with a registry password or an
 * access key) and authorized ({@link #ADMIN_ACTION} on {@code *}) before anything else; then an unknown
 * path is {@code 404}, another method {@code 405}, and an undeclared or invalid query parameter {@code 400}.
 * Errors use the OCI error format. See docs/operations.md.
 */
public final class AdminApi implements ApiFamily {

    public static final String PREFIX = "/_lading/";
    /** The action an admin request must be allowed on {@code *}. */
    public static final String ADMIN_ACTION = "ecr:*";
    /** Reports carry times and durations as ISO-8601 text. */
    private static final com.fasterxml.jackson.databind.ObjectMapper REPORTS =
            com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                    .build();

    private final DataPlaneAuth auth;
    private final io.lading.http.authz.Authorizer authorizer;
    private final Map<String, AdminEndpoint> endpoints;
    private final Map<String, Route> routes;
    private final OciApi errors;

    /**
     * @param endpoints the operator endpoints (names unique)
     * @param errors renders errors in the OCI format
     * @param authorizer when not null, every admin request needs {@code ecr:*} allowed on {@code *} (an
     *     operator: {@code AmazonEC2ContainerRegistryFullAccess} or an equivalent policy), unless the data
     *     plane's authentication is off
     */
    public AdminApi(DataPlaneAuth auth, List<AdminEndpoint> endpoints, OciApi errors,
            io.lading.http.authz.Authorizer authorizer) {
        this.authorizer = authorizer;
        this.auth = auth;
        this.errors = errors;
        Map<String, AdminEndpoint> byName = new java.util.LinkedHashMap<>();
        Map<String, Route> byNameRoutes = new java.util.HashMap<>();
        for (AdminEndpoint e : endpoints) {
            if (byName.putIfAbsent(e.name(), e) != null) {
                throw new IllegalArgumentException("two admin endpoints named " + e.name());
            }
            byNameRoutes.put(e.name(), new SimpleRoute(ex -> json(e.handler().apply(ex))));
        }
        this.endpoints = java.util.Collections.unmodifiableMap(byName);
        this.routes = Map.copyOf(byNameRoutes);
    }

    /** The endpoints served, by name (the path after {@link #PREFIX}), in declaration order. */
    public Map<String, AdminEndpoint> endpoints() {
        return endpoints;
    }

    private static Response json(Object report) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        try {
            return Response.of(200, h, REPORTS.writeValueAsBytes(report));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean claims(HttpRequest request, String path) {
        return path.startsWith(PREFIX);
    }

    @Override
    public RouteMatch route(HttpRequest request, String path) {
        return route(request, path, null);
    }

    @Override
    public RouteMatch route(HttpRequest request, String path, String sourceIp) {
        java.util.Optional<io.lading.core.identity.Principal> principal = auth.authenticate(request);
        if (authorizer != null && auth.mode() != DataPlaneAuth.Mode.OFF) {
            authorizer.require(new io.lading.http.authz.Caller(principal.orElse(null), sourceIp,
                    request.headers().get(HttpHeaderNames.USER_AGENT)), ADMIN_ACTION, "*",
                    io.lading.http.authz.RequestKeys.NONE);
        }
        String name = path.substring(PREFIX.length());
        AdminEndpoint endpoint = endpoints.get(name);
        if (endpoint == null) {
            throw new OciErrorException(OciErrorCode.ROUTE_UNKNOWN.error());
        }
        if (!endpoint.method().equals(request.method())) {
            throw new OciErrorException(OciErrorCode.METHOD_NOT_ALLOWED.error(
                    "/_lading/" + name + " accepts " + endpoint.method() + " only", null));
        }
        endpoint.validate(new QueryStringDecoder(request.uri()).parameters());
        return new RouteMatch(routes.get(name), Map.of(), this);
    }

    @Override
    public Response renderError(Throwable failure, HttpMethod method) {
        return errors.renderError(failure, method);
    }

    @Override
    public Response renderProtocolError(ProtocolError error, HttpMethod method) {
        return errors.renderProtocolError(error, method);
    }

    @Override
    public void addCommonHeaders(HttpHeaders headers) {
    }
}
