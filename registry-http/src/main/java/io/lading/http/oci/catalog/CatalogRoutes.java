package io.lading.http.oci.catalog;

import io.lading.core.catalog.CatalogService;
import io.lading.core.catalog.Page;
import io.lading.http.oci.OciHeaders;
import io.lading.http.oci.OciJson;
import io.lading.http.oci.SimpleRoute;
import io.lading.http.server.Exchange;
import io.lading.http.server.Response;
import io.lading.http.server.Route;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;

/** {@code GET /v2/_catalog?n=&last=}. */
public final class CatalogRoutes {

    private final CatalogService catalog;

    public CatalogRoutes(CatalogService catalog) {
        this.catalog = catalog;
    }

    public Route list() {
        return SimpleRoute.inline(this::list);
    }

    private Response list(Exchange ex) {
        Page<String> page = catalog.list(ex.queryParam("n"), ex.queryParam("last"));
        HttpHeaders h = OciHeaders.json();
        OciHeaders.addNextLink(h, ex.path(), page.items().size(), page);
        return Response.of(200, h, OciJson.write(Map.of("repositories", page.items())));
    }
}
