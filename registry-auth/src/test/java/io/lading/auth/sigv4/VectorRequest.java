package io.lading.auth.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Parses a {@code *-signed-request.txt} of the AWS signing test suite into a {@link SignedRequest}.
 * Request line, header lines (a line starting with whitespace continues the previous header, joined with
 * a space as an HTTP server unfolds it), a blank line, then the body.
 */
final class VectorRequest {

    private VectorRequest() {
    }

    static SignedRequest parse(String text) {
        String normalised = text.replace("\r\n", "\n");
        int blank = normalised.indexOf("\n\n");
        String head = blank < 0 ? normalised : normalised.substring(0, blank);
        String body = blank < 0 ? "" : normalised.substring(blank + 2);
        String[] lines = head.split("\n");
        String[] requestLine = lines[0].split(" ");
        String method = requestLine[0];
        // the target may contain spaces (get-space-*): everything between method and protocol
        String target = lines[0].substring(method.length() + 1, lines[0].lastIndexOf(' '));
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? "" : target.substring(question + 1);
        List<SignedRequest.Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                SignedRequest.Header last = headers.remove(headers.size() - 1);
                headers.add(new SignedRequest.Header(last.name(), last.value() + " " + line));
                continue;
            }
            int colon = line.indexOf(':');
            headers.add(new SignedRequest.Header(line.substring(0, colon), line.substring(colon + 1)));
        }
        return new SignedRequest(method, path, query, headers, sha256Hex(body));
    }

    static String sha256Hex(String body) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
