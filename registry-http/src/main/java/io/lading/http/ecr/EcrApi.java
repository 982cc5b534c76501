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
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ECR control API (AWS JSON 1.1): every request that carries {@code X-Amz-Target}, on any path
 * (ecr-api.md 2.1). The small JSON body is aggregated (SigV4 signs its hash), the caller authenticated,
 * the operation looked up in {@link EcrOperations} and its output written as one JSON response. Errors
 * render as {@code {"__type":...,"message":...}} with {@code x-amzn-ErrorType}.
 */
public final class EcrApi implements ApiFamily {

    private static final Logger log = LoggerFactory.getLogger(EcrApi.class);
    public static final String TARGET_HEADER = "X-Amz-Target";
    /** UploadLayerPart carries up to 20 MiB base64-encoded in JSON. */
    static final int MAX_BODY = 32 * 1024 * 1024;

    private final EcrOperations operations;
    private final EcrAuthenticator authenticator;
    private final RegistryIdentity identity;
    private final boolean hostFromRequest;
    private final EcrAuthorization authorization;
    private final Route route = new Route() {
        @Override
        public BodyMode bodyMode() {
            return BodyMode.AGGREGATE;
        }

        @Override
        public int maxBodyBytes() {
            return MAX_BODY;
        }

        @Override
        public Response handle(Exchange exchange) throws Exception {
            return call(exchange);
        }
    };

    /**
     * @param hostFromRequest whether ARNs/URIs use the request's Host header (no public URL configured)
     */
    public EcrApi(EcrOperations operations, EcrAuthenticator authenticator, RegistryIdentity identity,
            boolean hostFromRequest, io.lading.http.authz.Authorizer authorizer) {
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
        return new RouteMatch(route, Map.of(), this);
    }

    /** Keeps the peer address as the {@value #SOURCE_IP_PARAM} parameter for the request context. */
    @Override
    public RouteMatch route(HttpRequest request, String path, String sourceIp) {
        return new RouteMatch(route, sourceIp == null ? Map.of() : Map.of(SOURCE_IP_PARAM, sourceIp), this);
    }

    /** The route parameter carrying the connection's peer address (set by the router only). */
    static final String SOURCE_IP_PARAM = "sourceIp";

    private Response call(Exchange ex) throws Exception {
        if (!HttpMethod.POST.equals(ex.method())) {
            throw EcrErrorType.UNKNOWN_OPERATION.error("The control API accepts only POST");
        }
        byte[] body = ex.aggregated() == null ? new byte[0] : ex.aggregated();
        Principal principal = authenticator.authenticate(signedRequest(ex, body));
        String target = ex.headers().get(TARGET_HEADER);
        EcrOperation operation = EcrOperation.fromTarget(target)
                .orElseThrow(() -> EcrErrorType.UNKNOWN_OPERATION.error("Unknown operation " + target));
        checkContentType(ex.headers().get(HttpHeaderNames.CONTENT_TYPE));
        EcrHandler handler = operations.handler(operation)
                .orElseThrow(() -> EcrErrorType.VALIDATION.error("The operation " + operation
                        + " is not supported by this registry yet"));
        ObjectNode input = parse(body);
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

    private static SignedRequest signedRequest(Exchange ex, byte[] body) {
        List<SignedRequest.Header> headers = new ArrayList<>();
        ex.headers().iteratorAsString().forEachRemaining(e -> headers.add(new SignedRequest.Header(e.getKey(), e.getValue())));
        return new SignedRequest(ex.method().name(), ex.path(), ex.rawQuery(), headers, Digest.sha256(body).hex());
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
            case BODY_TOO_LARGE -> EcrErrorType.SERIALIZATION.error("Request body exceeds " + MAX_BODY + " bytes");
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
