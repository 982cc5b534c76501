package io.lading.core.digest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.lading.core.error.RegistryException.DigestInvalid;
import java.util.regex.Pattern;

/**
 * A content digest, {@code algorithm:encoded}, validated at construction. Only registered algorithms
 * ({@link DigestAlgorithm}) are accepted, and their encodings must be lower-case hex of the right length,
 * so a digest is always safe to use as a file or object name.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests">OCI digests</a>
 */
public record Digest(DigestAlgorithm algorithm, String hex) implements Comparable<Digest> {

    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    public Digest {
        if (!algorithm.isValidHex(hex)) {
            throw new DigestInvalid("invalid " + algorithm.id() + " digest encoding");
        }
    }

    /**
     * Parses {@code text}.
     *
     * @throws DigestInvalid if it is malformed or names an unsupported algorithm
     */
    @JsonCreator
    public static Digest parse(String text) {
        if (text != null && text.length() == 71 && text.startsWith("sha256:")) {
            // the common case, without a regular expression (the constructor checks the hex)
            return new Digest(DigestAlgorithm.SHA256, text.substring(7));
        }
        if (text == null || text.length() > 256 || !GRAMMAR.matcher(text).matches()) {
            throw new DigestInvalid("invalid digest: " + abbreviate(text));
        }
        int colon = text.indexOf(':');
        DigestAlgorithm algorithm = DigestAlgorithm.byId(text.substring(0, colon))
                .orElseThrow(() -> new DigestInvalid("unsupported digest algorithm: " + text.substring(0, colon)));
        return new Digest(algorithm, text.substring(colon + 1));
    }

    /** True if {@code text} parses as a digest of a supported algorithm. */
    public static boolean isDigest(String text) {
        try {
            parse(text);
            return true;
        } catch (DigestInvalid e) {
            return false;
        }
    }

    /** Computes the sha256 digest of {@code bytes}. */
    public static Digest sha256(byte[] bytes) {
        return DigestAlgorithm.SHA256.digest(bytes);
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm.id() + ":" + hex;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "(none)";
        }
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
