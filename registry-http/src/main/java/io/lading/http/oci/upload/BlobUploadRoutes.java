package io.lading.http.oci.upload;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.DigestInvalid;
import io.lading.core.error.RegistryException.UploadInvalid;
import io.lading.core.repository.RepositoryName;
import io.lading.core.spi.BlobInfo;
import io.lading.core.spi.UploadState;
import io.lading.core.upload.UploadService;
import io.lading.http.oci.OciHeaders;
import io.lading.http.oci.SimpleRoute;
import io.lading.http.server.BodyMode;
import io.lading.http.server.Exchange;
import io.lading.http.server.Response;
import io.lading.http.server.Route;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.InputStream;
import java.util.Optional;

/**
 * Blob uploads: {@code POST /v2/<name>/blobs/uploads/} (session, monolithic with {@code ?digest=}, mount
 * with {@code ?mount=&from=}), {@code PATCH|PUT|GET|DELETE /v2/<name>/blobs/uploads/<id>}.
 */
public final class BlobUploadRoutes {

    /**
     * Route parameter set by the router when the caller may not read the mount source
     * ({@code ecr:GetDownloadUrlForLayer} on {@code from=}): the mount is skipped and a normal upload
     * session opens instead (iam-policy.md §12).
     */
    public static final String MOUNT_DENIED_PARAM = "mountDenied";
    /**
     * Route parameter set by the router to the authenticated caller's ARN: the owner of the sessions it
     * opens, and the only principal that may use them. Absent when the data plane is unauthenticated.
     */
    public static final String CALLER_PARAM = "caller";

    private final UploadService uploads;

    public BlobUploadRoutes(UploadService uploads) {
        this.uploads = uploads;
    }

    public Route start() {
        return new StreamRoute(this::start, uploads.blobMaxBytes());
    }

    public Route patch() {
        return new StreamRoute(this::patch, uploads.blobMaxBytes());
    }

    public Route complete() {
        return new StreamRoute(this::complete, uploads.blobMaxBytes());
    }

    public Route status() {
        return new SimpleRoute(this::status);
    }

    public Route cancel() {
        return new SimpleRoute(this::cancel);
    }

    private Response start(Exchange ex) {
        RepositoryName name = RepositoryName.of(ex.param("name"));
        String mount = ex.queryParam("mount");
        if (mount != null && !"true".equals(ex.param(MOUNT_DENIED_PARAM))) {
            Digest digest = Digest.parse(mount);
            String from = ex.queryParam("from");
            if (from != null) {
                Optional<BlobInfo> mounted = uploads.mount(name, digest, RepositoryName.of(from));
                if (mounted.isPresent()) {
                    return created(name, digest);
                }
            }
        }
        String digestParam = ex.queryParam("digest");
        if (digestParam != null) {
            Digest digest = Digest.parse(digestParam);
            uploads.upload(name, digest, ex.body(), contentLength(ex));
            return created(name, digest);
        }
        UploadState state = uploads.start(name, owner(ex));
        return progress(202, name, state);
    }

    private Response patch(Exchange ex) {
        RepositoryName name = RepositoryName.of(ex.param("name"));
        ContentRange range = checkedRange(ex);
        UploadState state = uploads.append(name, ex.param("uploadId"), owner(ex), range == null ? null : range.start(), ex.body());
        return progress(202, name, state);
    }

    private Response complete(Exchange ex) {
        RepositoryName name = RepositoryName.of(ex.param("name"));
        String digestParam = ex.queryParam("digest");
        if (digestParam == null) {
            throw new DigestInvalid("the digest query parameter is required to complete an upload");
        }
        Digest digest = Digest.parse(digestParam);
        ContentRange range = checkedRange(ex);
        InputStream finalChunk = ex.hasBody() ? ex.body() : null;
        uploads.complete(name, ex.param("uploadId"), owner(ex), digest, range == null ? null : range.start(), finalChunk, null);
        return created(name, digest);
    }

    private Response status(Exchange ex) {
        RepositoryName name = RepositoryName.of(ex.param("name"));
        return progress(204, name, uploads.status(name, ex.param("uploadId"), owner(ex)));
    }

    private Response cancel(Exchange ex) {
        RepositoryName name = RepositoryName.of(ex.param("name"));
        uploads.cancel(name, ex.param("uploadId"), owner(ex));
        return Response.empty(204);
    }

    /** The authenticated caller (set by the router, never by the client), who owns the sessions it opens. */
    private static String owner(Exchange ex) {
        String caller = ex.param(CALLER_PARAM);
        return caller == null ? UploadState.NO_OWNER : caller;
    }

    private static ContentRange checkedRange(Exchange ex) {
        ContentRange range = ContentRange.parse(ex.headers().get(HttpHeaderNames.CONTENT_RANGE));
        Long length = contentLength(ex);
        if (range != null && length != null && length != range.length()) {
            throw new UploadInvalid("Content-Range covers " + range.length() + " bytes but Content-Length is " + length);
        }
        return range;
    }

    private static Long contentLength(Exchange ex) {
        String v = ex.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        if (v == null || ex.headers().containsValue(HttpHeaderNames.TRANSFER_ENCODING, "chunked", true)) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UploadInvalid("malformed Content-Length");
        }
    }

    private static Response created(RepositoryName name, Digest digest) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.LOCATION, "/v2/" + name + "/blobs/" + digest);
        h.set(OciHeaders.CONTENT_DIGEST, digest.toString());
        return Response.of(201, h, new byte[0]);
    }

    private static Response progress(int status, RepositoryName name, UploadState state) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.LOCATION, "/v2/" + name + "/blobs/uploads/" + state.id());
        h.set(HttpHeaderNames.RANGE, OciHeaders.uploadRange(state.size()));
        h.set(OciHeaders.UPLOAD_UUID, state.id());
        return Response.of(status, h, new byte[0]);
    }

    /** A route that streams its body, refusing from the head one declared larger than a blob may be. */
    private record StreamRoute(SimpleRoute.Handler handler, long maxStreamBytes) implements Route {
        @Override
        public BodyMode bodyMode() {
            return BodyMode.STREAM;
        }

        @Override
        public Response handle(Exchange exchange) throws Exception {
            return handler.handle(exchange);
        }
    }
}
