package io.lading.http.oci.manifest;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * The media types a client accepts. skopeo sends one {@code Accept} line per type, Docker one
 * comma-separated line: all lines are merged. Parameters ({@code ;q=}) are dropped; a type with
 * {@code q=0} is left out.
 */
final class AcceptHeader {

    private AcceptHeader() {
    }

    static List<String> mediaTypes(HttpHeaders headers) {
        List<String> out = new ArrayList<>();
        for (String line : headers.getAll(HttpHeaderNames.ACCEPT)) {
            for (String part : line.split(",")) {
                String[] params = part.split(";");
                String type = params.length == 0 ? "" : params[0].trim();
                if (type.isEmpty() || excluded(params)) {
                    continue;
                }
                out.add(type);
            }
        }
        return out;
    }

    private static boolean excluded(String[] params) {
        for (int i = 1; i < params.length; i++) {
            String p = params[i].trim().replace(" ", "").toLowerCase(java.util.Locale.ROOT);
            if (p.matches("q=0(\\.0{0,3})?")) {
                return true;
            }
        }
        return false;
    }
}
