package io.lading.http.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lading.core.Registry;
import io.lading.core.error.RegistryException;
import io.lading.core.repository.RepositoryName;
import io.lading.http.oci.blob.BlobRoutes;
import io.lading.http.oci.catalog.CatalogRoutes;
import io.lading.http.oci.manifest.ManifestRoutes;
import io.lading.http.oci.referrer.ReferrerRoutes;
import io.lading.http.oci.tag.TagRoutes;
import io.lading.http.oci.upload.BlobUploadRoutes;
import io.lading.http.server.ApiFamily;
import io.lading.http.server.BodyMode;
import io.lading.http.server.Response;
import io.lading.http.server.Route;
import io.lading.http.server.RouteMatch;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI distribution API ({@code /v2/...}). Repository names contain {@code /}, so paths are matched
 * from the right ({@code .../manifests/<ref>}, {@code .../blobs/uploads/<id>}, ...) and the name is then
 * validated with the naming rules. Also the fallback family: unknown paths get an OCI error.
 */
public final class OciApi implements ApiFamily {

    private static final Logger log = LoggerFactory.getLogger(OciApi.class);
    static final ObjectMapper JSON = JsonMapper.builder().build();


    private final BlobRoutes blobs;
    private final BlobUploadRoutes uploads;
    private final ManifestRoutes manifests;
    private final TagRoutes tags;
    private final CatalogRoutes catalog;
    private final ReferrerRoutes referrers;
    private final Route base;
    private final DataPlaneAuth auth;
    private final PresignedBlobUrls presigned;
    private final Map<OciPath.Endpoint, Map<HttpMethod, Route>> routes;
    private final DataPlaneAuthorization authorization;

    /** Without authorization (authentication only). */
    public OciApi(Registry registry, DataPlaneAuth auth) {
        this(registry, auth, null, null);
    }

    /**
     * @param presigned verifies pre-authorised blob URLs (GetDownloadUrlForLayer), or null to accept none
     * @param authorizer decides every authenticated request (iam-policy.md §12), or null to skip authorization
     */
    public OciApi(Registry registry, DataPlaneAuth auth, PresignedBlobUrls presigned,
            io.lading.http.authz.Authorizer authorizer) {
        this.auth = auth;
        this.authorization = authorizer == null ? null : new DataPlaneAuthorization(authorizer);
        this.presigned = presigned;
        this.blobs = new BlobRoutes(registry.blobs());
        this.uploads = new BlobUploadRoutes(registry.uploads());
        this.manifests = new ManifestRoutes(registry.manifests(), registry.settings().manifestMaxBytes());
        this.tags = new TagRoutes(registry.tags());
        this.catalog = new CatalogRoutes(registry.catalog());
        this.referrers = new ReferrerRoutes(registry.referrers());
        this.base = SimpleRoute.inline(ex -> {
            HttpHeaders h = new DefaultHttpHeaders();
            h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            return Response.of(200, h, "{}".getBytes());
        });
        this.routes = routeTable();
    }

    @Override
    public boolean claims(HttpRequest request, String path) {
        return path.equals("/v2") || path.startsWith("/v2/");
    }

    @Override
    public RouteMatch route(HttpRequest request, String path) {
        return route(request, path, null);
    }

    @Override
    public RouteMatch route(HttpRequest request, String path, String sourceIp) {
        HttpMethod m = request.method();
        // authenticate on the head: before a body is read and before 100 Continue
        boolean presignedRead = presignedBlobRead(request, path, m);
        java.util.Optional<io.lading.core.identity.Principal> principal = presignedRead
                ? java.util.Optional.empty() : auth.authenticate(request);
        OciPath parsed = OciPath.parse(path);
        if (parsed == null) {
            return new RouteMatch(new ErrorRoute(OciErrorCode.ROUTE_UNKNOWN), Map.of(), this);
        }
        Map<HttpMethod, Route> byMethod = routes.get(parsed.endpoint());
        Map<String, String> params = Map.of();
        if (parsed.name() != null) {
            RepositoryName.of(parsed.name()); // validates: NAME_INVALID before any work
            params = parsed.element() == null ? Map.of("name", parsed.name())
                    : Map.of("name", parsed.name(), ELEMENT_PARAM.get(parsed.endpoint()), parsed.element());
        }
        // authorize after authentication and before any handler looks at the repository (iam-policy.md §10, §12).
        // Not authorized: a presigned URL (issued to a caller allowed ecr:GetDownloadUrlForLayer, it carries that
        // grant), auth mode off, and anonymous reads under anonymousPull (the operator made pulls public)
        if (authorization != null && !presignedRead && principal.isPresent() && byMethod.containsKey(m)) {
            io.lading.http.authz.Caller caller = new io.lading.http.authz.Caller(principal.get(), sourceIp,
                    request.headers().get(io.netty.handler.codec.http.HttpHeaderNames.USER_AGENT));
            DataPlaneAuthorization.Outcome outcome = authorization.authorize(caller, request, parsed);
            if (parsed.endpoint() == OciPath.Endpoint.CATALOG) {
                return new RouteMatch(catalog.list(outcome.visible()), params, this);
            }
            if (outcome.skipMount()) {
                Map<String, String> withFlag = new java.util.HashMap<>(params);
                withFlag.put(io.lading.http.oci.upload.BlobUploadRoutes.MOUNT_DENIED_PARAM, "true");
                params = Map.copyOf(withFlag);
            }
        }
        return match(m, byMethod, params);
    }

    private static final Map<OciPath.Endpoint, String> ELEMENT_PARAM = Map.of(
            OciPath.Endpoint.MANIFEST, "reference", OciPath.Endpoint.UPLOAD, "uploadId",
            OciPath.Endpoint.REFERRERS, "digest", OciPath.Endpoint.BLOB, "digest");

    private Map<OciPath.Endpoint, Map<HttpMethod, Route>> routeTable() {
        Map<OciPath.Endpoint, Map<HttpMethod, Route>> t = new java.util.EnumMap<>(OciPath.Endpoint.class);
        t.put(OciPath.Endpoint.BASE, Map.of(HttpMethod.GET, base, HttpMethod.HEAD, base));
        t.put(OciPath.Endpoint.CATALOG, Map.of(HttpMethod.GET, catalog.list()));
        t.put(OciPath.Endpoint.TAGS, Map.of(HttpMethod.GET, tags.list()));
        t.put(OciPath.Endpoint.MANIFEST, Map.of(HttpMethod.GET, manifests.get(), HttpMethod.HEAD, manifests.get(),
                HttpMethod.PUT, manifests.put(), HttpMethod.DELETE, manifests.delete()));
        t.put(OciPath.Endpoint.UPLOADS, Map.of(HttpMethod.POST, uploads.start()));
        t.put(OciPath.Endpoint.UPLOAD, Map.of(HttpMethod.GET, uploads.status(), HttpMethod.PATCH, uploads.patch(),
                HttpMethod.PUT, uploads.complete(), HttpMethod.DELETE, uploads.cancel()));
        t.put(OciPath.Endpoint.REFERRERS, Map.of(HttpMethod.GET, referrers.list()));
        t.put(OciPath.Endpoint.BLOB, Map.of(HttpMethod.GET, blobs.get(), HttpMethod.HEAD, blobs.get(),
                HttpMethod.DELETE, blobs.delete()));
        return t;
    }


    /**
     * Whether this is a GET/HEAD of a blob through a valid presigned URL, without an Authorization header;
     * such a request needs no other credentials. A presigned blob request with a forged, altered or expired
     * signature is refused (403 DENIED) rather than treated as anonymous.
     */
    private boolean presignedBlobRead(HttpRequest request, String path, HttpMethod m) {
        if (presigned == null || request.headers().contains(HttpHeaderNames.AUTHORIZATION)
                || !(HttpMethod.GET.equals(m) || HttpMethod.HEAD.equals(m))) {
            return false;
        }
        OciPath parsed = OciPath.parse(path);
        if (parsed == null || parsed.endpoint() != OciPath.Endpoint.BLOB) {
            return false;
        }
        Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
        if (!PresignedBlobUrls.isPresigned(query)) {
            return false;
        }
        presigned.verify(parsed.name(), parsed.element(), query);
        return true;
    }

    private RouteMatch match(HttpMethod method, Map<HttpMethod, Route> byMethod, Map<String, String> params) {
        Route r = byMethod.get(method);
        if (r == null) {
            return new RouteMatch(new ErrorRoute(OciErrorCode.METHOD_NOT_ALLOWED), params, this);
        }
        return new RouteMatch(r, params, this);
    }

    @Override
    public Response renderError(Throwable failure, HttpMethod method) {
        OciError error;
        if (failure instanceof RegistryException e) {
            error = OciErrors.of(e);
            if (e instanceof RegistryException.StorageFailure) {
                log.error("Storage failure: {}", e.getMessage(), e.getCause());
            }
        } else if (failure instanceof OciErrorException e) {
            error = e.error();
        } else if (failure instanceof IOException || failure instanceof java.io.UncheckedIOException) {
            log.debug("Request failed on I/O: {}", failure.toString());
            error = OciErrorCode.BLOB_UPLOAD_INVALID.error("request body ended early: " + failure.getMessage(), null);
        } else {
            log.error("Unexpected failure", failure);
            error = OciErrorCode.INTERNAL.error();
        }
        return render(error, method);
    }

    @Override
    public Response renderProtocolError(ProtocolError kind, HttpMethod method) {
        OciErrorCode code = switch (kind) {
            case MALFORMED_REQUEST -> OciErrorCode.REQUEST_MALFORMED;
            case REQUEST_LINE_TOO_LONG -> OciErrorCode.REQUEST_LINE_TOO_LONG;
            case HEADERS_TOO_LARGE -> OciErrorCode.HEADERS_TOO_LARGE;
            case BODY_TOO_LARGE -> OciErrorCode.BODY_TOO_LARGE;
        };
        return render(code.error(), method);
    }

    /** Renders {@code {"errors":[...]}}; a HEAD response carries the status and no body. */
    public static Response render(OciError error, HttpMethod method) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        if (error.code() == OciErrorCode.UNAUTHORIZED) {
            h.set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"lading\",service=\"ecr.amazonaws.com\"");
        }
        if (HttpMethod.HEAD.equals(method)) {
            return Response.of(error.status(), h, new byte[0]);
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        entries.add(entry(error));
        error.more().forEach(e -> entries.add(entry(e)));
        try {
            return Response.of(error.status(), h, JSON.writeValueAsBytes(Map.of("errors", entries)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> entry(OciError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", e.code().code());
        m.put("message", e.message());
        m.put("detail", e.detail() == null ? Map.of() : e.detail());
        return m;
    }

    @Override
    public void addCommonHeaders(HttpHeaders headers) {
        headers.set("Docker-Distribution-API-Version", "registry/2.0");
    }

    /** A route that always answers one error (unknown path, wrong method). */
    private record ErrorRoute(OciErrorCode code) implements Route {
        @Override
        public BodyMode bodyMode() {
            return BodyMode.NONE;
        }

        @Override
        public Response handle(io.lading.http.server.Exchange exchange) {
            throw new OciErrorException(code.error());
        }
    }
}
