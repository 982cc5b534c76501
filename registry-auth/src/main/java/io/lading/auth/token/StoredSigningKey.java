package io.lading.auth.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.spi.MetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password signing key, kept in the metadata store at {@value #KEY} so that every node sharing the
 * store signs and verifies with the same key. The first node to need it generates 32 random bytes and
 * stores them with {@link MetadataStore#createIfAbsent}; a node that loses that race discards its own key
 * and reads the winner's, so all nodes converge on one key without coordination. The key is read once and
 * then served from memory.
 *
 * <p>Stored as {@code {"algorithm":"HmacSHA256","key":"<base64 of 32 bytes>"}}. Deleting the document
 * invalidates every outstanding password once nodes restart.
 *
 * <p>Thread-safe.
 */
public final class StoredSigningKey implements SigningKeySource {

    /** Where the key lives in the metadata store. */
    public static final String KEY = "auth/token-signing-key";

    private static final Logger LOG = LoggerFactory.getLogger(StoredSigningKey.class);
    private static final String ALGORITHM = "HmacSHA256";
    private static final int KEY_BYTES = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetadataStore store;
    private final SecureRandom random = new SecureRandom();
    private volatile SecretKey cached;

    public StoredSigningKey(MetadataStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public SecretKey currentKey() {
        SecretKey key = cached;
        if (key == null) {
            synchronized (this) {
                key = cached;
                if (key == null) {
                    key = loadOrCreate();
                    cached = key;
                }
            }
        }
        return key;
    }

    private SecretKey loadOrCreate() {
        var existing = store.get(KEY);
        if (existing.isPresent()) {
            return decode(existing.get().value());
        }
        byte[] fresh = new byte[KEY_BYTES];
        random.nextBytes(fresh);
        if (store.createIfAbsent(KEY, encode(fresh))) {
            LOG.info("Generated a new registry password signing key at {}", KEY);
            return new SecretKeySpec(fresh, ALGORITHM);
        }
        // another node created it between our get and our create: theirs is the key
        return decode(store.get(KEY)
                .orElseThrow(() -> new IllegalStateException(KEY + " was created and then deleted concurrently"))
                .value());
    }

    private static byte[] encode(byte[] key) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("algorithm", ALGORITHM);
        doc.put("key", Base64.getEncoder().encodeToString(key));
        try {
            return JSON.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SecretKey decode(byte[] stored) {
        try {
            JsonNode doc = JSON.readTree(stored);
            if (doc == null || !ALGORITHM.equals(doc.path("algorithm").asText())) {
                throw new IllegalStateException(KEY + " does not hold an " + ALGORITHM + " key");
            }
            byte[] key = Base64.getDecoder().decode(doc.path("key").asText());
            if (key.length != KEY_BYTES) {
                throw new IllegalStateException(KEY + " holds a key of " + key.length + " bytes, not " + KEY_BYTES);
            }
            return new SecretKeySpec(key, ALGORITHM);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(KEY + " is not a valid signing key document", e);
        }
    }
}
