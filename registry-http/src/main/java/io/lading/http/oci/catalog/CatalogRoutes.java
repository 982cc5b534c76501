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

    /** The listing limited to the repositories {@code visible} accepts (authorization, iam-policy.md §12). */
    public Route list(java.util.function.Predicate<String> visible) {
        return visible == null ? list() : SimpleRoute.inline(ex -> list(ex, visible));
    }

    private Response list(Exchange ex) {
        return list(ex, null);
    }

    private Response list(Exchange ex, java.util.function.Predicate<String> visible) {
        Page<String> page = visible == null ? catalog.list(ex.queryParam("n"), ex.queryParam("last"))
                : catalog.list(ex.queryParam("n"), ex.queryParam("last"), visible);
        HttpHeaders h = OciHeaders.json();
        OciHeaders.addNextLink(h, ex.path(), page.items().size(), page);
        return Response.of(200, h, OciJson.write(Map.of("repositories", page.items())));
    }
}
