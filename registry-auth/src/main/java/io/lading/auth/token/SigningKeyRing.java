package io.lading.auth.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.spi.MetadataStore;
import io.lading.core.spi.MetadataStore.Versioned;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password signing keys: a current key, which signs every new registry password and presigned URL,
 * and the previous key, which still verifies what it signed until that expires. Kept in the metadata
 * store at {@value #KEY} (a secret key: owner-only on local disk), so that every node sharing the store
 * signs and verifies with the same keys.
 *
 * <p>The first node to need a key generates 32 random bytes and stores them with
 * {@link MetadataStore#createIfAbsent}; a node that loses that race reads the winner's key. {@link #rotate()}
 * makes the current key the previous one, generates a new current key, and writes the ring by
 * compare-and-swap against the version it read, so two rotations racing from two processes cannot both
 * land (one would silently drop the other's new key): the loser changes nothing and fails with
 * {@link ConcurrentRotation}. After one rotation, passwords signed by the old current key still verify;
 * after a second they do not. The ring is read once and then served from memory; a rotation through this
 * instance takes effect at once, a rotation by another process when this one next starts.
 *
 * <p>Stored as {@code {"algorithm":"HmacSHA256","current":{"key":"<base64 of 32 bytes>","createdAt":"<ISO-8601>"},
 * "previous":{...}}} ({@code previous} absent before the first rotation). The single-key document of
 * earlier versions, {@code {"algorithm":"HmacSHA256","key":"..."}}, reads as a ring whose current key is
 * that key, so an upgrade keeps outstanding passwords valid. A key is named by its id
 * ({@link #keyId}), a fingerprint that reveals nothing of the key.
 *
 * <p>Thread-safe.
 */
public final class SigningKeyRing implements SigningKeySource {

    /** Where the ring lives in the metadata store (under {@link MetadataStore#SECRETS}). */
    public static final String KEY = "auth/token-signing-key";

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyRing.class);
    private static final String ALGORITHM = "HmacSHA256";
    private static final int KEY_BYTES = 32;
    private static final byte[] ID_DOMAIN = "lading-signing-key-id\n".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a rotation did.
     *
     * @param keyId the new current key
     * @param previousKeyId the key that was current and now only verifies, or null if there was none
     * @param retiredKeyId the key that was previous and no longer verifies anything, or null if none
     * @param rotatedAt when the new key was created
     */
    public record Rotation(String keyId, String previousKeyId, String retiredKeyId, Instant rotatedAt) {
    }

    /** Another process changed the ring between this rotation's read and its write; nothing was changed. */
    public static final class ConcurrentRotation extends IllegalStateException {
        ConcurrentRotation(String message) {
            super(message);
        }
    }

    /** One key, its id and creation time (null for a key stored before rotation existed). */
    private record Entry(SecretKey key, String id, Instant createdAt) {
    }

    /** The keys in force: {@code previous} may be null. */
    private record Ring(Entry current, Entry previous, List<SecretKey> keys) {
        Ring(Entry current, Entry previous) {
            this(current, previous, previous == null ? List.of(current.key()) : List.of(current.key(), previous.key()));
        }
    }

    private final MetadataStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile Ring cached;

    /**
     * @param store where the ring is kept
     * @param clock the creation time of new keys
     */
    public SigningKeyRing(MetadataStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public SecretKey currentKey() {
        return ring().current().key();
    }

    /** The current key first, then the previous key if there is one. */
    @Override
    public List<SecretKey> verificationKeys() {
        return ring().keys();
    }

    /** The id of the current key. */
    public String currentKeyId() {
        return ring().current().id();
    }

    /** The id of the previous key, if there is one. */
    public Optional<String> previousKeyId() {
        return Optional.ofNullable(ring().previous()).map(Entry::id);
    }

    /**
     * Makes the current key the previous one (retiring the previous key) and a new random key current, in
     * the store and in this instance at once. Rotating a store that has no ring yet creates one with a
     * current key only.
     *
     * @throws ConcurrentRotation if another process wrote the ring meanwhile; this instance then serves
     *     the ring that process wrote
     */
    public synchronized Rotation rotate() {
        Entry fresh = generate();
        Optional<Versioned> stored = store.get(KEY);
        Ring next;
        boolean written;
        Entry retired = null;
        if (stored.isEmpty()) {
            next = new Ring(fresh, null);
            written = store.createIfAbsent(KEY, encode(next));
        } else {
            Ring old = decode(stored.get().value());
            next = new Ring(fresh, old.current());
            retired = old.previous();
            written = store.replace(KEY, stored.get().version(), encode(next));
        }
        if (!written) {
            cached = load();
            throw new ConcurrentRotation("another process changed " + KEY + " while this one rotated it; nothing"
                    + " was changed and the current key is " + cached.current().id() + ": rotate again to replace it");
        }
        cached = next;
        Rotation rotation = new Rotation(fresh.id(), next.previous() == null ? null : next.previous().id(),
                retired == null ? null : retired.id(), fresh.createdAt());
        LOG.info("Rotated the password signing key: current {}, previous {}, retired {}", rotation.keyId(),
                Objects.toString(rotation.previousKeyId(), "none"), Objects.toString(rotation.retiredKeyId(), "none"));
        return rotation;
    }

    /**
     * The id of a key: the first 16 hex digits of SHA-256 over a domain string and the key bytes. It names
     * the key in logs and reports and cannot be turned back into the key.
     */
    public static String keyId(SecretKey key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(ID_DOMAIN);
            byte[] digest = sha256.digest(key.getEncoded());
            return HexFormat.of().formatHex(Arrays.copyOf(digest, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private Ring ring() {
        Ring ring = cached;
        if (ring == null) {
            synchronized (this) {
                ring = cached;
                if (ring == null) {
                    ring = load();
                    cached = ring;
                }
            }
        }
        return ring;
    }

    private Ring load() {
        Optional<Versioned> existing = store.get(KEY);
        if (existing.isPresent()) {
            return decode(existing.get().value());
        }
        Ring fresh = new Ring(generate(), null);
        if (store.createIfAbsent(KEY, encode(fresh))) {
            LOG.info("Generated a new registry password signing key {} at {}", fresh.current().id(), KEY);
            return fresh;
        }
        // another node created it between our get and our create: theirs is the ring
        return decode(store.get(KEY)
                .orElseThrow(() -> new IllegalStateException(KEY + " was created and then deleted concurrently"))
                .value());
    }

    private Entry generate() {
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        SecretKey key = new SecretKeySpec(bytes, ALGORITHM);
        return new Entry(key, keyId(key), clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    private static byte[] encode(Ring ring) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("algorithm", ALGORITHM);
        encode(doc.putObject("current"), ring.current());
        if (ring.previous() != null) {
            encode(doc.putObject("previous"), ring.previous());
        }
        try {
            return JSON.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void encode(ObjectNode node, Entry entry) {
        node.put("key", Base64.getEncoder().encodeToString(entry.key().getEncoded()));
        if (entry.createdAt() != null) {
            node.put("createdAt", entry.createdAt().toString());
        }
    }

    private static Ring decode(byte[] stored) {
        try {
            JsonNode doc = JSON.readTree(stored);
            if (doc == null || !ALGORITHM.equals(doc.path("algorithm").asText())) {
                throw new IllegalStateException(KEY + " does not hold " + ALGORITHM + " keys");
            }
            if (doc.has("key")) {
                return new Ring(entry(doc), null); // the single key of a version before rotation
            }
            if (!doc.path("current").isObject()) {
                throw new IllegalStateException(KEY + " has no current key");
            }
            JsonNode previous = doc.path("previous");
            return new Ring(entry(doc.get("current")), previous.isObject() ? entry(previous) : null);
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalStateException(KEY + " is not a valid signing key document", e);
        }
    }

    private static Entry entry(JsonNode node) {
        byte[] bytes = Base64.getDecoder().decode(node.path("key").asText());
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException(KEY + " holds a key of " + bytes.length + " bytes, not " + KEY_BYTES);
        }
        SecretKey key = new SecretKeySpec(bytes, ALGORITHM);
        String createdAt = node.path("createdAt").asText(null);
        return new Entry(key, keyId(key), createdAt == null ? null : Instant.parse(createdAt));
    }
}
