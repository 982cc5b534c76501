package io.lading.http.oci.manifest;

import io.lading.core.error.RegistryException;
import io.lading.core.manifest.ManifestContent;
import io.lading.core.manifest.ManifestService;
import io.lading.core.manifest.PushResult;
import io.lading.core.repository.RepositoryName;
import io.lading.core.tag.Reference;
import io.lading.core.tag.Tag;
import io.lading.http.oci.OciHeaders;
import io.lading.http.oci.SimpleRoute;
import io.lading.http.server.BodyMode;
import io.lading.http.server.Exchange;
import io.lading.http.server.Response;
import io.lading.http.server.Route;
import io.lading.http.server.WouldBlock;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;

/** {@code GET|HEAD|PUT|DELETE /v2/<name>/manifests/<reference>}. */
public final class ManifestRoutes {

    private final ManifestService manifests;
    private final Route get;
    private final Route put;
    private final Route delete;

    public ManifestRoutes(ManifestService manifests, int maxManifestBytes) {
        this.manifests = manifests;
        this.get = SimpleRoute.inline(this::get);
        this.delete = new SimpleRoute(this::delete);
        this.put = new Route() {
            @Override
            public BodyMode bodyMode() {
                return BodyMode.AGGREGATE;
            }

            @Override
            public int maxBodyBytes() {
                return maxManifestBytes;
            }

            @Override
            public Response handle(Exchange exchange) {
                return put(exchange);
            }
        };
    }

    public Route get() {
        return get;
    }

    public Route put() {
        return put;
    }

    public Route delete() {
        return delete;
    }

    private Response get(Exchange ex) {
        RepositoryName name = RepositoryName.of(ex.param("name"));
        Reference reference = pulledReference(ex.param("reference"));
        boolean head = HttpMethod.HEAD.equals(ex.method());
        ManifestContent content = manifests.get(name, reference, AcceptHeader.mediaTypes(ex.headers()), !head,
                !ex.inline()).orElseThrow(() -> WouldBlock.INSTANCE);
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, content.mediaType());
        h.set(OciHeaders.CONTENT_DIGEST, content.digest().toString());
        h.set(HttpHeaderNames.ETAG, "\"" + content.digest() + "\"");
        h.set(HttpHeaderNames.CONTENT_LENGTH, content.bytes().length);
        return Response.of(200, h, head ? new byte[0] : content.bytes());
    }

    /**
     * The reference of a GET or HEAD. A tag that is not valid names no manifest, so it is unknown
     * (404 MANIFEST_UNKNOWN), as the OCI conformance suite, CNCF Distribution and ECR answer; a PUT of
     * it stays 400 TAG_INVALID. A malformed digest (it has a {@code :}) stays 400 DIGEST_INVALID, which
     * tells a client its digest is wrong rather than absent.
     */
    private static Reference pulledReference(String text) {
        try {
            return Reference.parse(text);
        } catch (RegistryException.TagInvalid e) {
            throw new RegistryException.ManifestUnknown(text);
        }
    }

    private Response put(Exchange ex) {
        RepositoryName name = RepositoryName.of(ex.param("name"));
        Reference reference = Reference.parse(ex.param("reference"));
        List<Tag> extraTags = ex.queryParams("tag").stream().map(Tag::of).toList();
        PushResult result = manifests.put(name, reference, ex.aggregated(),
                ex.headers().get(HttpHeaderNames.CONTENT_TYPE), extraTags);
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.LOCATION, "/v2/" + name + "/manifests/" + result.digest());
        h.set(OciHeaders.CONTENT_DIGEST, result.digest().toString());
        if (result.subject() != null) {
            h.set(OciHeaders.OCI_SUBJECT, result.subject().toString());
        }
        return Response.of(201, h, new byte[0]);
    }

    private Response delete(Exchange ex) {
        RepositoryName name = RepositoryName.of(ex.param("name"));
        manifests.delete(name, Reference.parse(ex.param("reference")));
        return Response.empty(202);
    }
}
