package io.lading.http.admin;

import io.lading.http.oci.DataPlaneAuth;
import io.lading.http.oci.OciApi;
import io.lading.http.oci.OciErrorCode;
import io.lading.http.oci.OciErrorException;
import io.lading.http.oci.SimpleRoute;
import io.lading.http.server.ApiFamily;
import io.lading.http.server.Exchange;
import io.lading.http.server.Response;
import io.lading.http.server.Route;
import io.lading.http.server.RouteMatch;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Map;
import java.util.function.Function;

/**
 * Operator endpoints under {@code /_lading/}: {@code POST /_lading/gc?dryRun=true|false} and
 * {@code POST /_lading/expire?dryRun=true|false} run garbage collection or the lifecycle expirer now and
 * answer with a JSON report; {@code GET /_lading/metrics} answers the counters of what they did. Authenticated like {@code /v2} (Basic with a registry password or an
 * access key); errors use the OCI error format. See docs/operations.md.
 */
public final class AdminApi implements ApiFamily {

    public static final String PREFIX = "/_lading/";
    /** Reports carry times and durations as ISO-8601 text. */
    private static final com.fasterxml.jackson.databind.ObjectMapper REPORTS =
            com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                    .build();

    private final DataPlaneAuth auth;
    private final io.lading.http.authz.Authorizer authorizer;
    private final Map<String, Route> routes;
    private final OciApi errors;
    private final Route metrics;

    /**
     * @param tasks operator tasks by name ({@code gc}, {@code expire}): dry-run flag in, report out
     * @param errors renders errors in the OCI format
     */
    public AdminApi(DataPlaneAuth auth, Map<String, Function<Boolean, Object>> tasks,
            java.util.function.Supplier<Map<String, Long>> metrics, OciApi errors) {
        this(auth, tasks, metrics, errors, null);
    }

    /**
     * @param authorizer when not null, every admin request needs {@code ecr:*} allowed on {@code *} (an
     *     operator: {@code AmazonEC2ContainerRegistryFullAccess} or an equivalent policy), unless the data
     *     plane's authentication is off
     */
    public AdminApi(DataPlaneAuth auth, Map<String, Function<Boolean, Object>> tasks,
            java.util.function.Supplier<Map<String, Long>> metrics, OciApi errors,
            io.lading.http.authz.Authorizer authorizer) {
        this.authorizer = authorizer;
        this.auth = auth;
        this.errors = errors;
        this.metrics = new SimpleRoute(ex -> json(new java.util.TreeMap<>(metrics.get())));
        this.routes = Map.copyOf(tasks.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> new SimpleRoute(ex -> run(e.getValue(), ex)))));
    }

    private static Response run(Function<Boolean, Object> task, Exchange ex) {
        String dryRun = ex.queryParam("dryRun");
        if (dryRun != null && !dryRun.equals("true") && !dryRun.equals("false")) {
            throw new OciErrorException(OciErrorCode.UNSUPPORTED.error("dryRun must be true or false", null));
        }
        return json(task.apply(Boolean.parseBoolean(dryRun)));
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

    /** The action an admin request must be allowed on {@code *}. */
    public static final String ADMIN_ACTION = "ecr:*";

    @Override
    public RouteMatch route(HttpRequest request, String path, String sourceIp) {
        java.util.Optional<io.lading.core.identity.Principal> principal = auth.authenticate(request);
        if (authorizer != null && auth.mode() != DataPlaneAuth.Mode.OFF) {
            authorizer.require(new io.lading.http.authz.Caller(principal.orElse(null), sourceIp,
                    request.headers().get(HttpHeaderNames.USER_AGENT)), ADMIN_ACTION, "*",
                    io.lading.http.authz.RequestKeys.NONE);
        }
        if (path.equals(PREFIX + "metrics")) {
            if (!HttpMethod.GET.equals(request.method())) {
                throw new OciErrorException(OciErrorCode.METHOD_NOT_ALLOWED.error());
            }
            return new RouteMatch(metrics, Map.of(), this);
        }
        Route route = routes.get(path.substring(PREFIX.length()));
        if (route == null) {
            throw new OciErrorException(OciErrorCode.ROUTE_UNKNOWN.error());
        }
        if (!HttpMethod.POST.equals(request.method())) {
            throw new OciErrorException(OciErrorCode.METHOD_NOT_ALLOWED.error());
        }
        return new RouteMatch(route, Map.of(), this);
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
