package io.lading.auth.sigv4;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A received HTTP request reduced to what a SigV4 verifier needs, with no trace of the HTTP stack that
 * received it. Everything is kept exactly as it arrived, because the signature covers the client's view
 * of the request and any normalisation done before verification would break it.
 *
 * <p>Example: {@code new SignedRequest("POST", "/", "", List.of(new Header("Host", "ecr.local"), ...),
 * "e3b0c442...b855")}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param method the request method, e.g. {@code POST}
 * @param rawPath the request path as received, still percent-encoded, without the query
 * @param rawQuery the query string as received, without the {@code ?}; empty if there was none
 * @param headers every header in the order received; names compare case-insensitively and may repeat
 * @param payloadHash lower-case hex SHA-256 of the body bytes the server received
 * @see "shared/spec/ecr-api.md section 2.8"
 */
public record SignedRequest(String method, String rawPath, String rawQuery, List<Header> headers, String payloadHash) {

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** The hex SHA-256 of an empty body. */
    public static final String EMPTY_PAYLOAD_HASH =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public SignedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = List.copyOf(headers);
        payloadHash = Objects.requireNonNull(payloadHash, "payloadHash").toLowerCase(Locale.ROOT);
        if (!HEX_SHA256.matcher(payloadHash).matches()) {
            throw new IllegalArgumentException("payloadHash must be 64 hex digits");
        }
    }

    /** The values of every header called {@code name} (any case), in the order received. */
    public List<String> values(String name) {
        List<String> values = new ArrayList<>(1);
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                values.add(header.value());
            }
        }
        return values;
    }

    /** One received header line. Immutable. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }
}
