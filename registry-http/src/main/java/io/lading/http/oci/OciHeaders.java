package io.lading.http.oci;

import io.lading.core.catalog.Page;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Header names and values of the distribution API, built in one place. */
public final class OciHeaders {

    public static final String CONTENT_DIGEST = "Docker-Content-Digest";
    public static final String UPLOAD_UUID = "Docker-Upload-UUID";
    public static final String OCI_SUBJECT = "OCI-Subject";
    public static final String FILTERS_APPLIED = "OCI-Filters-Applied";

    private OciHeaders() {
    }

    public static HttpHeaders json() {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set("Content-Type", "application/json");
        return h;
    }

    /** {@code Range: 0-<last byte>} as the upload endpoints report progress ({@code 0-0} when empty). */
    public static String uploadRange(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    /** Adds {@code Link: <path?n=..&last=..>; rel="next"} when the page has a successor. */
    public static void addNextLink(HttpHeaders h, String path, int n, Page<?> page) {
        if (page.hasMore()) {
            h.set("Link", "<" + path + "?n=" + n + "&last=" + URLEncoder.encode(page.last(), StandardCharsets.UTF_8)
                    + ">; rel=\"next\"");
        }
    }
}
