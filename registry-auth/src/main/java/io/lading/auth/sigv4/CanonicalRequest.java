package io.lading.auth.sigv4;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Builds the SigV4 canonical request of a received request: method, canonical URI, canonical query,
 * canonical headers, signed-header list and payload hash, one per line.
 *
 * @see "shared/spec/ecr-api.md section 2.8, step 3 and 'Canonical path'"
 */
final class CanonicalRequest {

    private CanonicalRequest() {
    }

    static String of(SignedRequest request, AuthorizationHeader auth, boolean normalizePath, boolean doubleEncodePath) {
        StringBuilder out = new StringBuilder(256);
        out.append(request.method()).append('\n');
        out.append(uri(request.rawPath(), normalizePath, doubleEncodePath)).append('\n');
        out.append(query(request.rawQuery())).append('\n');
        for (String name : auth.signedHeaderNames()) {
            out.append(name).append(':').append(headerValue(request.values(name))).append('\n');
        }
        out.append('\n');
        out.append(auth.signedHeaders()).append('\n');
        out.append(request.payloadHash());
        return out.toString();
    }

    /**
     * The canonical URI. Non-S3 services sign the already-encoded path encoded once more (so a received
     * {@code %20} is signed as {@code %2520}); S3 signs the path encoded exactly once.
     */
    static String uri(String rawPath, boolean normalize, boolean doubleEncode) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        if (normalize) {
            path = removeDotSegments(path);
        }
        return doubleEncode ? UriEncoding.encode(path, true) : UriEncoding.encode(UriEncoding.decode(path), true);
    }

    /**
     * Removes {@code .} and {@code ..} segments and empty segments (so {@code //a//} becomes {@code /a/}),
     * as the AWS signers do when they normalise. A trailing slash survives, and a path ending in a dot
     * segment ends in a slash, as RFC 3986 section 5.2.4 says.
     */
    static String removeDotSegments(String path) {
        Deque<String> kept = new ArrayDeque<>();
        String[] segments = path.split("/", -1);
        for (String segment : segments) {
            switch (segment) {
                case "", "." -> { }
                case ".." -> kept.pollLast();
                default -> kept.addLast(segment);
            }
        }
        if (kept.isEmpty()) {
            return "/";
        }
        String last = segments[segments.length - 1];
        boolean trailingSlash = last.isEmpty() || last.equals(".") || last.equals("..");
        return "/" + String.join("/", kept) + (trailingSlash ? "/" : "");
    }

    /** The canonical query: each name and value decoded, re-encoded the SigV4 way, then sorted by name, value. */
    static String query(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String param : rawQuery.split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? "" : param.substring(eq + 1);
            params.add(new String[] {
                UriEncoding.encode(UriEncoding.decode(name), false),
                UriEncoding.encode(UriEncoding.decode(value), false)});
        }
        params.sort((a, b) -> {
            int byName = a[0].compareTo(b[0]);
            return byName != 0 ? byName : a[1].compareTo(b[1]);
        });
        StringBuilder out = new StringBuilder(rawQuery.length() + 16);
        for (String[] param : params) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(param[0]).append('=').append(param[1]);
        }
        return out.toString();
    }

    /** Repeated headers joined with {@code ,} in received order, each trimmed with inner whitespace collapsed. */
    static String headerValue(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendCollapsed(values.get(i), out);
        }
        return out.toString();
    }

    private static void appendCollapsed(String value, StringBuilder out) {
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pendingSpace = started;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
                started = true;
            }
        }
    }
}
