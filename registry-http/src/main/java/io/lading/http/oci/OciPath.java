package io.lading.http.oci;

/**
 * A {@code /v2} path split into its endpoint, repository name and last element. Repository names
 * contain {@code /}, so the endpoint is recognised from the right: the last {@code /manifests/},
 * {@code /blobs/uploads/}, {@code /referrers/} or {@code /blobs/} followed by one final element, or a
 * {@code /tags/list} or {@code /blobs/uploads/} suffix. The name is not validated here.
 *
 * @param endpoint which endpoint
 * @param name the repository name (raw), or null for {@link Endpoint#BASE} and {@link Endpoint#CATALOG}
 * @param element the reference, digest or upload id, or null
 */
record OciPath(Endpoint endpoint, String name, String element) {

    /** The distribution API's endpoints. */
    enum Endpoint { BASE, CATALOG, TAGS, MANIFEST, UPLOADS, UPLOAD, REFERRERS, BLOB }

    private static final String PREFIX = "/v2/";

    /** Parses a raw path; null when it names no endpoint. */
    static OciPath parse(String path) {
        if (path.equals("/v2") || path.equals(PREFIX)) {
            return new OciPath(Endpoint.BASE, null, null);
        }
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        String rest = path.substring(PREFIX.length());
        if (rest.equals("_catalog")) {
            return new OciPath(Endpoint.CATALOG, null, null);
        }
        if (rest.endsWith("/tags/list")) {
            return named(Endpoint.TAGS, rest.substring(0, rest.length() - "/tags/list".length()), null);
        }
        OciPath p = lastElement(rest, "/manifests/", Endpoint.MANIFEST);
        if (p != null) {
            return p;
        }
        if (rest.endsWith("/blobs/uploads/") || rest.endsWith("/blobs/uploads")) {
            int end = rest.lastIndexOf("/blobs/uploads");
            return named(Endpoint.UPLOADS, rest.substring(0, end), null);
        }
        for (Object[] candidate : new Object[][] {
                {"/blobs/uploads/", Endpoint.UPLOAD}, {"/referrers/", Endpoint.REFERRERS}, {"/blobs/", Endpoint.BLOB}}) {
            p = lastElement(rest, (String) candidate[0], (Endpoint) candidate[1]);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static OciPath lastElement(String rest, String marker, Endpoint endpoint) {
        int i = rest.lastIndexOf(marker);
        if (i <= 0) {
            return null;
        }
        String element = rest.substring(i + marker.length());
        if (element.isEmpty() || element.indexOf('/') >= 0) {
            return null;
        }
        return new OciPath(endpoint, rest.substring(0, i), element);
    }

    private static OciPath named(Endpoint endpoint, String name, String element) {
        return name.isEmpty() ? null : new OciPath(endpoint, name, element);
    }
}
