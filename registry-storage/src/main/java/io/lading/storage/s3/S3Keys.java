package io.lading.storage.s3;

import io.lading.core.digest.Digest;
import java.util.Optional;

/**
 * The object keys of blobs: {@code <prefix>blobs/<alg>/<first 2 hex>/<hex>}, the local-disk tree as keys
 * (docs/storage-layout.md). Stateless apart from the prefix.
 */
final class S3Keys {

    private final String prefix;

    /** @param prefix empty or ending in {@code /} (as {@link S3Settings} makes it) */
    S3Keys(String prefix) {
        this.prefix = prefix;
    }

    /** The key of the blob {@code digest}. */
    String blob(Digest digest) {
        String hex = digest.hex();
        return blobs() + digest.algorithm().id() + "/" + hex.substring(0, 2) + "/" + hex;
    }

    /** The prefix every blob key starts with, for listing. */
    String blobs() {
        return prefix + "blobs/";
    }

    /** The blob a listed key names, or empty for any other key (a stray object under the prefix). */
    Optional<Digest> digestOf(String key) {
        if (!key.startsWith(blobs())) {
            return Optional.empty();
        }
        String[] parts = key.substring(blobs().length()).split("/", -1);
        if (parts.length != 3 || parts[1].length() != 2 || !parts[2].startsWith(parts[1])) {
            return Optional.empty();
        }
        String text = parts[0] + ":" + parts[2];
        return Digest.isDigest(text) ? Optional.of(Digest.parse(text)) : Optional.empty();
    }
}
