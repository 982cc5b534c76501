package io.lading.http.oci.referrer;

import io.lading.core.digest.Digest;
import io.lading.core.manifest.Descriptor;
import io.lading.core.mediatype.MediaTypes;
import io.lading.core.referrer.ReferrersService;
import io.lading.core.repository.RepositoryName;
import io.lading.http.oci.OciHeaders;
import io.lading.http.oci.OciJson;
import io.lading.http.oci.SimpleRoute;
import io.lading.http.server.Exchange;
import io.lading.http.server.Response;
import io.lading.http.server.Route;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v2/<name>/referrers/<digest>?artifactType=}: an OCI image index of referrer descriptors. */
public final class ReferrerRoutes {

    private final ReferrersService referrers;

    public ReferrerRoutes(ReferrersService referrers) {
        this.referrers = referrers;
    }

    public Route list() {
        return SimpleRoute.inline(this::list);
    }

    private Response list(Exchange ex) {
        RepositoryName name = RepositoryName.of(ex.param("name"));
        Digest subject = Digest.parse(ex.param("digest"));
        String artifactType = ex.queryParam("artifactType");
        List<Descriptor> found = referrers.list(name, subject, artifactType);
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", found);
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, MediaTypes.OCI_INDEX);
        if (artifactType != null) {
            h.set(OciHeaders.FILTERS_APPLIED, "artifactType");
        }
        return Response.of(200, h, OciJson.write(index));
    }
}
