package io.lading.core.manifest;

import io.lading.core.digest.Digest;

/**
 * The outcome of a manifest push.
 *
 * @param digest the manifest's digest
 * @param subject the subject the manifest refers to, or null (sent back as {@code OCI-Subject})
 */
public record PushResult(Digest digest, Digest subject) {
}
