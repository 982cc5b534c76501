package io.lading.http.oci.tag;

import io.lading.core.catalog.Page;
import io.lading.core.repository.RepositoryName;
import io.lading.core.tag.TagService;
import io.lading.http.oci.OciHeaders;
import io.lading.http.oci.OciJson;
import io.lading.http.oci.SimpleRoute;
import io.lading.http.server.Exchange;
import io.lading.http.server.Response;
import io.lading.http.server.Route;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /v2/<name>/tags/list?n=&last=}. */
public final class TagRoutes {

    private final TagService tags;

    public TagRoutes(TagService tags) {
        this.tags = tags;
    }

    public Route list() {
        return SimpleRoute.inline(this::list);
    }

    private Response list(Exchange ex) {
        RepositoryName name = RepositoryName.of(ex.param("name"));
        Page<String> page = tags.list(name, ex.queryParam("n"), ex.queryParam("last"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name.value());
        body.put("tags", page.items());
        HttpHeaders h = OciHeaders.json();
        OciHeaders.addNextLink(h, ex.path(), page.items().size(), page);
        return Response.of(200, h, OciJson.write(body));
    }
}
