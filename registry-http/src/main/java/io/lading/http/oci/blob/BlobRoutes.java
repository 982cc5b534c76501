package io.lading.http.oci.blob;

import io.lading.core.blob.BlobService;
import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.RangeNotSatisfiable;
import io.lading.core.repository.RepositoryName;
import io.lading.core.spi.BlobContent;
import io.lading.http.oci.OciApi;
import io.lading.http.oci.OciErrors;
import io.lading.http.oci.OciHeaders;
import io.lading.http.oci.SimpleRoute;
import io.lading.http.server.Exchange;
import io.lading.http.server.Response;
import io.lading.http.server.Route;
import io.lading.http.server.WouldBlock;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/** {@code GET|HEAD /v2/<name>/blobs/<digest>} (DELETE is refused by the router: ECR has no blob delete). */
public final class BlobRoutes {

    private final BlobService blobs;
    private final Route get;

    public BlobRoutes(BlobService blobs) {
        this.blobs = blobs;
        this.get = SimpleRoute.inline(this::get);
    }

    public Route get() {
        return get;
    }

    /**
     * Size from memory; bytes as a zero-copy file range or a stream, or a {@code 307} to the store's own
     * download URL (S3), where the client sends its {@code Range} again; a single Range gives 206, an
     * unsatisfiable one 416.
     */
    private Response get(Exchange ex) {
        RepositoryName name = RepositoryName.of(ex.param("name"));
        Digest digest = Digest.parse(ex.param("digest"));
        long size = blobs.size(name, digest);
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(OciHeaders.CONTENT_DIGEST, digest.toString());
        h.set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        h.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        h.set(HttpHeaderNames.ETAG, "\"" + digest + "\"");
        boolean head = HttpMethod.HEAD.equals(ex.method());
        ByteRange range;
        try {
            range = ByteRange.parse(ex.headers().get(HttpHeaderNames.RANGE), size);
        } catch (RangeNotSatisfiable e) {
            Response error = OciApi.render(OciErrors.of(e, null), ex.method()); // names no registry
            error.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
            return error;
        }
        if (head) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, range == null ? size : range.length());
            return Response.of(range == null ? 200 : 206, h, new byte[0]);
        }
        if (ex.inline()) {
            throw WouldBlock.INSTANCE; // opening the file is I/O
        }
        long offset = range == null ? 0 : range.offset();
        long length = range == null ? size : range.length();
        BlobContent content = blobs.download(name, digest, offset, length);
        if (range != null && !(content instanceof BlobContent.Redirect)) {
            h.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(size));
        }
        return new Response.Blob(range == null ? 200 : 206, h, content, false);
    }
}
