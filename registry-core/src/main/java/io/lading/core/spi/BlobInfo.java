package io.lading.core.spi;

import io.lading.core.digest.Digest;
import java.time.Instant;

/** A stored blob's digest, size in bytes and the time it was first committed. */
public record BlobInfo(Digest digest, long size, Instant createdAt) {
}
