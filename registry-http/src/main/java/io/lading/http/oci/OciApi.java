package io.lading.http.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lading.auth.policy.RegistryApiActions;
import io.lading.auth.policy.V2Request;
import io.lading.core.Registry;
import io.lading.core.error.RegistryException;
import io.lading.core.repository.RepositoryName;
import io.lading.http.oci.blob.BlobRoutes;
import io.lading.http.oci.catalog.CatalogRoutes;
import io.lading.http.oci.manifest.ManifestRoutes;
import io.lading.http.oci.referrer.ReferrerRoutes;
import io.lading.http.oci.tag.TagRoutes;
import io.lading.http.oci.upload.BlobUploadRoutes;
import io.lading.http.authz.RequestRateLimiter;
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
    private final String registryId;
    private final PresignedBlobUrls presigned;
    private final Map<V2Request, Route> routes;
    private final DataPlaneAuthorization authorization;
    private final RequestRateLimiter rateLimiter;

    /** Without authorization (authentication only). */
    public OciApi(Registry registry, DataPlaneAuth auth) {
        this(registry, auth, null, null, "", RequestRateLimiter.off());
    }

    /**
     * @param presigned verifies pre-authorised blob URLs (GetDownloadUrlForLayer), or null to accept none
     * @param authorizer decides every authenticated request (iam-policy.md §12), or null to skip authorization
     * @param registryId the registry's id (its account), which ECR's error messages name
     * @param rateLimiter charged once per request on its head, by principal or (anonymous) source IP
     */
    public OciApi(Registry registry, DataPlaneAuth auth, PresignedBlobUrls presigned,
            io.lading.http.authz.Authorizer authorizer, String registryId, RequestRateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
        this.auth = auth;
        this.registryId = registryId;
        this.authorization = authorizer == null ? null : new DataPlaneAuthorization(authorizer,
                name -> registry.settings().createOnPush() && registry.index().find(RepositoryName.of(name)).isEmpty());
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
        if (rateLimiter.enabled()) {
            // after authentication, so a forged credential can never spend its owner's requests
            rateLimiter.acquire(principal.isPresent() ? RequestRateLimiter.principalKey(principal.get().arn())
                    : RequestRateLimiter.addressKey(String.valueOf(sourceIp)));
        }
        OciPath parsed = OciPath.parse(path);
        if (parsed == null) {
            return new RouteMatch(new ErrorRoute(OciErrorCode.ROUTE_UNKNOWN.error()), Map.of(), this);
        }
        Map<String, String> params = Map.of();
        if (parsed.name() != null) {
            RepositoryName.of(parsed.name()); // validates: NAME_INVALID before any work
            params = parsed.element() == null ? Map.of("name", parsed.name())
                    : Map.of("name", parsed.name(), ELEMENT_PARAM.get(parsed.endpoint()), parsed.element());
        }
        if (principal.isPresent()) {
            Map<String, String> withCaller = new java.util.HashMap<>(params);
            withCaller.put(io.lading.http.oci.upload.BlobUploadRoutes.CALLER_PARAM, principal.get().arn());
            params = Map.copyOf(withCaller);
        }
        // one table decides both what runs and what is authorized: the request kind
        V2Request kind = DataPlaneAuthorization.kind(request, parsed);
        if (kind == null) {
            return new RouteMatch(new ErrorRoute(OciErrorCode.METHOD_NOT_ALLOWED.error()), params, this);
        }
        if (!RegistryApiActions.isSupported(kind)) {
            return new RouteMatch(new ErrorRoute(UNSUPPORTED.get(kind)), params, this);
        }
        // authorize after authentication and before any handler looks at the repository (iam-policy.md §10, §12).
        // Not authorized: a presigned URL (issued to a caller allowed ecr:GetDownloadUrlForLayer, it carries that
        // grant), auth mode off, and anonymous reads under anonymousPull (the operator made pulls public)
        if (authorization != null && !presignedRead && principal.isPresent()) {
            io.lading.http.authz.Caller caller = new io.lading.http.authz.Caller(principal.get(), sourceIp,
                    request.headers().get(io.netty.handler.codec.http.HttpHeaderNames.USER_AGENT));
            DataPlaneAuthorization.Outcome outcome = authorization.authorize(caller, request, parsed, kind);
            if (kind == V2Request.CATALOG) {
                return new RouteMatch(catalog.list(outcome.visible()), params, this);
            }
            if (outcome.skipMount()) {
                Map<String, String> withFlag = new java.util.HashMap<>(params);
                withFlag.put(io.lading.http.oci.upload.BlobUploadRoutes.MOUNT_DENIED_PARAM, "true");
                params = Map.copyOf(withFlag);
            }
        }
        return new RouteMatch(routes.get(kind), params, this);
    }

    /** Why an unsupported kind of request is refused ({@code 405 UNSUPPORTED}, no authorization needed). */
    private static final Map<V2Request, OciError> UNSUPPORTED = Map.of(V2Request.BLOB_DELETE,
            OciErrorCode.UNSUPPORTED.error("deleting a blob is not supported, as on Amazon ECR: delete the images "
                    + "that use it (DELETE of the manifest, or BatchDeleteImage) and garbage collection frees it", null));

    private static final Map<OciPath.Endpoint, String> ELEMENT_PARAM = Map.of(
            OciPath.Endpoint.MANIFEST, "reference", OciPath.Endpoint.UPLOAD, "uploadId",
            OciPath.Endpoint.REFERRERS, "digest", OciPath.Endpoint.BLOB, "digest");

    /**
     * The route of every supported request kind. Every kind {@link RegistryApiActions} supports has a route
     * and no other kind has one, checked here at start-up, so a route cannot exist without its row in the
     * authorization table.
     */
    private Map<V2Request, Route> routeTable() {
        Map<V2Request, Route> t = new java.util.EnumMap<>(V2Request.class);
        t.put(V2Request.BASE, base);
        t.put(V2Request.CATALOG, catalog.list());
        t.put(V2Request.TAGS_LIST, tags.list());
        t.put(V2Request.MANIFEST_GET, manifests.get());
        t.put(V2Request.MANIFEST_HEAD, manifests.get());
        t.put(V2Request.MANIFEST_PUT, manifests.put());
        t.put(V2Request.MANIFEST_DELETE, manifests.delete());
        t.put(V2Request.UPLOAD_START, uploads.start());
        t.put(V2Request.UPLOAD_MONOLITHIC, uploads.start());
        t.put(V2Request.BLOB_MOUNT, uploads.start());
        t.put(V2Request.UPLOAD_STATUS, uploads.status());
        t.put(V2Request.UPLOAD_CHUNK, uploads.patch());
        t.put(V2Request.UPLOAD_COMPLETE, uploads.complete());
        t.put(V2Request.UPLOAD_COMPLETE_WITH_DATA, uploads.complete());
        t.put(V2Request.UPLOAD_CANCEL, uploads.cancel());
        t.put(V2Request.REFERRERS, referrers.list());
        t.put(V2Request.BLOB_GET, blobs.get());
        t.put(V2Request.BLOB_HEAD, blobs.get());
        for (V2Request kind : V2Request.values()) {
            if (RegistryApiActions.isSupported(kind) != t.containsKey(kind)) {
                throw new IllegalStateException("route table and authorization table disagree on " + kind);
            }
        }
        return java.util.Collections.unmodifiableMap(t);
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

    @Override
    public Response renderError(Throwable failure, HttpMethod method) {
        OciError error;
        if (failure instanceof RegistryException e) {
            error = OciErrors.of(e, registryId);
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
        if (error.retryAfter() != null) {
            h.set(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, error.retryAfter().toSeconds())));
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
    private record ErrorRoute(OciError error) implements Route {
        @Override
        public BodyMode bodyMode() {
            return BodyMode.NONE;
        }

        @Override
        public Response handle(io.lading.http.server.Exchange exchange) {
            throw new OciErrorException(error);
        }
    }
}
