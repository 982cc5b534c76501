package io.lading.http.ecr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.auth.sigv4.SignedRequest;
import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException;
import io.lading.core.identity.Principal;
import io.lading.http.server.ApiFamily;
import io.lading.http.server.BodyMode;
import io.lading.http.server.Exchange;
import io.lading.http.server.Response;
import io.lading.http.server.Route;
import io.lading.http.server.RouteMatch;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ECR control API (AWS JSON 1.1): every request that carries {@code X-Amz-Target}, on any path
 * (ecr-api.md 2.1). The JSON body is gathered in memory (SigV4 signs its hash), or for UploadLayerPart
 * spooled to disk ({@link SpooledLayerPart}); then the caller is authenticated,
 * the operation looked up in {@link EcrOperations} and its output written as one JSON response. Errors
 * render as {@code {"__type":...,"message":...}} with {@code x-amzn-ErrorType}.
 */
public final class EcrApi implements ApiFamily {

    private static final Logger log = LoggerFactory.getLogger(EcrApi.class);
    public static final String TARGET_HEADER = "X-Amz-Target";

    private final EcrOperations operations;
    private final EcrAuthenticator authenticator;
    private final RegistryIdentity identity;
    private final boolean hostFromRequest;
    private final EcrAuthorization authorization;
    /** Fresh paths in a private temp directory, for UploadLayerPart bodies. */
    private final java.util.function.Supplier<java.nio.file.Path> spoolFiles;
    /** Charged once per call, by the authenticated principal. */
    private final io.lading.http.authz.RequestRateLimiter rateLimiter;
    /** Most operations carry names, ids and policy texts of at most 30 KiB: their bodies are this small. */
    static final int SMALL_BODY = 64 * 1024;
    /** PutImage: a manifest (4 MiB by default), JSON-escaped inside the request, and the other members. */
    static final int PUT_IMAGE_BODY = 10 * 1024 * 1024;
    /** UploadLayerPart: the base64 text of the documented 20,971,520-byte maximum part and the other members. */
    static final int UPLOAD_PART_BODY = 4 * ((20 * 1024 * 1024 + 2) / 3) + SMALL_BODY;

    private final Route smallRoute = route(BodyMode.AGGREGATE, SMALL_BODY);
    private final Route putImageRoute = route(BodyMode.AGGREGATE, PUT_IMAGE_BODY);
    /** Streamed and spooled to disk, never gathered in memory ({@link SpooledLayerPart}). */
    private final Route uploadPartRoute = route(BodyMode.STREAM, UPLOAD_PART_BODY);

    /**
     * The route for calls whose bodies may be up to {@code maxBody} bytes (refused with 413 from the
     * head beyond), gathered or streamed as {@code mode} says.
     */
    private Route route(BodyMode mode, int maxBody) {
        return new Route() {
            @Override
            public BodyMode bodyMode() {
                return mode;
            }

            @Override
            public int maxBodyBytes() {
                return mode == BodyMode.AGGREGATE ? maxBody : 0;
            }

            @Override
            public long maxStreamBytes() {
                return mode == BodyMode.STREAM ? maxBody : Long.MAX_VALUE;
            }

            @Override
            public Response handle(Exchange exchange) throws Exception {
                return call(exchange);
            }
        };
    }

    /** The body limit is chosen from the operation named in the head, before any of the body is read. */
    private Route routeFor(HttpRequest request) {
        String target = request.headers().get(TARGET_HEADER);
        return switch (EcrOperation.fromTarget(target).orElse(null)) {
            case UploadLayerPart -> uploadPartRoute;
            case PutImage -> putImageRoute;
            case null, default -> smallRoute;
        };
    }

    /**
     * @param hostFromRequest whether ARNs/URIs use the request's Host header (no public URL configured)
     */
    public EcrApi(EcrOperations operations, EcrAuthenticator authenticator, RegistryIdentity identity,
            boolean hostFromRequest, io.lading.http.authz.Authorizer authorizer,
            java.util.function.Supplier<java.nio.file.Path> spoolFiles,
            io.lading.http.authz.RequestRateLimiter rateLimiter) {
        this.spoolFiles = spoolFiles;
        this.rateLimiter = rateLimiter;
        this.authorization = new EcrAuthorization(authorizer);
        this.operations = operations;
        this.authenticator = authenticator;
        this.identity = identity;
        this.hostFromRequest = hostFromRequest;
    }

    @Override
    public boolean claims(HttpRequest request, String path) {
        return request.headers().contains(TARGET_HEADER);
    }

    @Override
    public RouteMatch route(HttpRequest request, String path) {
        return route(request, path, null);
    }

    /**
     * Keeps the peer address as the {@value #SOURCE_IP_PARAM} parameter for the request context. A POST
     * whose body is larger than {@link #SMALL_BODY} or that waits for {@code 100 Continue} is first
     * checked on its head ({@link EcrAuthenticator#precheck}): one that can never authenticate is
     * refused (thrown here, answered by the router before any of the body is read, the connection then
     * closed). Small bodies are read and refused after, as before, so that the client reads the error
     * (SDKs correct their clock from a skew error) rather than a reset.
     */
    @Override
    public RouteMatch route(HttpRequest request, String path, String sourceIp) {
        if (HttpMethod.POST.equals(request.method())
                && (HttpUtil.is100ContinueExpected(request) || HttpUtil.getContentLength(request, 0L) > SMALL_BODY
                        || HttpUtil.isTransferEncodingChunked(request))) {
            authenticator.precheck(head(request));
        }
        return new RouteMatch(routeFor(request), sourceIp == null ? Map.of() : Map.of(SOURCE_IP_PARAM, sourceIp),
                this);
    }

    /** The head of a request as the SigV4 verifier sees it, with a placeholder payload hash. */
    private static SignedRequest head(HttpRequest request) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        return new SignedRequest(request.method().name(), q < 0 ? uri : uri.substring(0, q),
                q < 0 ? "" : uri.substring(q + 1), headers(request.headers()), SignedRequest.EMPTY_PAYLOAD_HASH);
    }

    private static List<SignedRequest.Header> headers(HttpHeaders received) {
        List<SignedRequest.Header> headers = new ArrayList<>(received.size());
        received.iteratorAsString().forEachRemaining(e -> headers.add(new SignedRequest.Header(e.getKey(), e.getValue())));
        return headers;
    }

    /** The route parameter carrying the connection's peer address (set by the router only). */
    static final String SOURCE_IP_PARAM = "sourceIp";

    private Response call(Exchange ex) throws Exception {
        if (ex.body() == null) {
            byte[] body = ex.aggregated() == null ? new byte[0] : ex.aggregated();
            return call(ex, Digest.sha256(body).hex(), () -> parse(body));
        }
        SpooledLayerPart part;
        try {
            part = SpooledLayerPart.receive(ex.body(), spoolFiles, UPLOAD_PART_BODY);
        } catch (SpooledLayerPart.BodyUnreadable e) {
            throw EcrErrorType.SERIALIZATION.error("The request body could not be read: " + e.getMessage());
        } catch (IOException e) {
            // the disk, not the client: a ServerException, logged by renderError
            throw new RegistryException.StorageFailure("cannot spool a layer part to disk", e);
        }
        try (part) {
            return call(ex, part.payloadHash(), () -> part.parse("layerPartBlob"));
        }
    }

    /** Parses a request body once it is authenticated. */
    @FunctionalInterface
    private interface BodyParser {
        ObjectNode parse() throws IOException;
    }

    private Response call(Exchange ex, String payloadHash, BodyParser body) throws Exception {
        if (!HttpMethod.POST.equals(ex.method())) {
            throw EcrErrorType.UNKNOWN_OPERATION.error("The control API accepts only POST");
        }
        Principal principal = authenticator.authenticate(signedRequest(ex, payloadHash));
        rateLimiter.acquire(io.lading.http.authz.RequestRateLimiter.principalKey(principal.arn()));
        String target = ex.headers().get(TARGET_HEADER);
        EcrOperation operation = EcrOperation.fromTarget(target)
                .orElseThrow(() -> EcrErrorType.UNKNOWN_OPERATION.error("Unknown operation " + target));
        checkContentType(ex.headers().get(HttpHeaderNames.CONTENT_TYPE));
        EcrHandler handler = operations.handler(operation)
                .orElseThrow(() -> EcrErrorType.VALIDATION.error("The operation " + operation
                        + " is not supported by this registry yet"));
        ObjectNode input;
        try {
            input = body.parse();
        } catch (IOException e) {
            throw EcrErrorType.SERIALIZATION.error("Request body is not valid JSON");
        }
        io.lading.http.authz.Caller caller = new io.lading.http.authz.Caller(principal, ex.param(SOURCE_IP_PARAM),
                ex.headers().get(HttpHeaderNames.USER_AGENT));
        // authorization before the handler, hence before any existence check (iam-policy.md §10)
        authorization.authorize(operation, caller, input);
        RegistryIdentity id = identity;
        String host = ex.headers().get(HttpHeaderNames.HOST);
        if (hostFromRequest && host != null && !host.isBlank()) {
            id = identity.withHost(host);
        }
        ObjectNode output;
        try {
            EcrCall call = new EcrCall(operation, principal, new EcrInput(input), id, caller);
            if (input.has("registryId")) {
                call.registryId(); // only this registry exists here: refuse any other registry id up front
            }
            output = handler.handle(call);
        } catch (RegistryException e) {
            if (e instanceof RegistryException.StorageFailure) {
                throw e;
            }
            // domain errors name the registry: calls act on the caller's own registry (EcrCall.registryId)
            throw EcrErrors.of(e, id.account());
        }
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, "application/x-amz-json-1.1");
        return Response.of(200, h, EcrJson.MAPPER.writeValueAsBytes(output));
    }

    private static SignedRequest signedRequest(Exchange ex, String payloadHash) {
        return new SignedRequest(ex.method().name(), ex.path(), ex.rawQuery(), headers(ex.headers()), payloadHash);
    }

    private static void checkContentType(String contentType) {
        if (contentType == null) {
            return;
        }
        String essence = contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!essence.equals("application/x-amz-json-1.1") && !essence.equals("application/json")) {
            throw EcrErrorType.SERIALIZATION.error("Unsupported Content-Type " + contentType);
        }
    }

    private static ObjectNode parse(byte[] body) {
        if (body.length == 0) {
            return EcrJson.object();
        }
        JsonNode node;
        try {
            node = EcrJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            // a repeated key too ("Duplicate field 'x'"): EcrJson.MAPPER detects duplicates
            throw EcrErrorType.SERIALIZATION.error("Request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw EcrErrorType.SERIALIZATION.error("Request body is not valid JSON");
        }
        if (node == null || node.isNull()) {
            return EcrJson.object();
        }
        if (!node.isObject()) {
            throw EcrErrorType.SERIALIZATION.error("Request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    @Override
    public Response renderError(Throwable failure, HttpMethod method) {
        EcrException error;
        if (failure instanceof EcrException e) {
            error = e;
        } else if (failure instanceof RegistryException e) {
            error = EcrErrors.of(e, "");
            if (e instanceof RegistryException.StorageFailure) {
                log.error("Storage failure: {}", e.getMessage(), e.getCause());
            }
        } else {
            log.error("Unexpected failure in the ECR API", failure);
            error = EcrErrorType.SERVER.error("An internal error occurred");
        }
        return render(error);
    }

    @Override
    public Response renderProtocolError(ProtocolError error, HttpMethod method) {
        return render(switch (error) {
            case BODY_TOO_LARGE -> EcrErrorType.SERIALIZATION.error("Request body exceeds what the operation accepts ("
                    + UPLOAD_PART_BODY + " bytes for UploadLayerPart, " + PUT_IMAGE_BODY + " for PutImage, "
                    + SMALL_BODY + " for the others)");
            case MALFORMED_REQUEST, REQUEST_LINE_TOO_LONG, HEADERS_TOO_LARGE ->
                    EcrErrorType.SERIALIZATION.error("Malformed HTTP request");
        });
    }

    static Response render(EcrException e) {
        ObjectNode body = EcrJson.object();
        body.put("__type", e.type().type());
        body.put("message", e.getMessage());
        e.extra().forEach((k, v) -> body.set(k, EcrJson.MAPPER.valueToTree(v)));
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, "application/x-amz-json-1.1");
        h.set("x-amzn-ErrorType", e.type().type());
        try {
            return Response.of(e.type().status(), h, EcrJson.MAPPER.writeValueAsBytes(body));
        } catch (IOException io) {
            throw new IllegalStateException(io);
        }
    }

    @Override
    public void addCommonHeaders(HttpHeaders headers) {
        headers.set("x-amzn-RequestId", UUID.randomUUID().toString());
    }
}
