package io.lading.core.spi;

import java.time.Instant;

/**
 * A metadata document that could not be read and was moved out of the store's key space, bytes intact, for
 * an operator to inspect, repair or remove (see {@link MetadataStore#quarantine}).
 *
 * @param key the document's key
 * @param originalPath where the document was, in the backend's terms (a file path, an object key)
 * @param quarantinePath where its bytes are now
 * @param reason why it was quarantined
 * @param quarantinedAt when
 */
public record QuarantinedDocument(String key, String originalPath, String quarantinePath, String reason,
        Instant quarantinedAt) {
}
