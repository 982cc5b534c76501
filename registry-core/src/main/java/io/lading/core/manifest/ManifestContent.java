package io.lading.core.manifest;

import io.lading.core.digest.Digest;

/**
 * Manifest bytes as served to a client: the stored bytes, or a conversion of them.
 *
 * @param digest the digest of exactly {@code bytes} (what {@code Docker-Content-Digest} carries)
 * @param mediaType the media type of {@code bytes}
 * @param bytes the content; callers must not modify it
 */
public record ManifestContent(Digest digest, String mediaType, byte[] bytes) {
}
