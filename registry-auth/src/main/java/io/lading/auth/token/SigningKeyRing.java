package io.lading.auth.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.spi.SecretStore;
import io.lading.core.spi.SecretStore.Versioned;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password signing keys: a current key, which signs every new registry password and presigned URL,
 * and the previous key, which still verifies what it signed until that expires. Kept in the shared
 * {@link SecretStore} as the secret {@value #NAME}, so that every node sharing the metadata database
 * signs and verifies with the same keys.
 *
 * <p>The first node to need a key generates 32 random bytes and stores them with
 * {@link SecretStore#createIfAbsent}; a node that loses that race reads the winner's key. {@link #rotate()}
 * makes the current key the previous one, generates a new current key, and writes the ring by
 * compare-and-swap against the version it read, so two rotations racing on two nodes cannot both land
 * (one would silently drop the other's new key): the loser changes nothing and fails with
 * {@link ConcurrentRotation}. After one rotation, passwords signed by the old current key still verify;
 * after a second they do not.
 *
 * <p>Across nodes: the ring is served from memory and reloaded from the store
 * <ul>
 *   <li>at once on this node after a rotation through this instance;
 *   <li>when a signature matches none of the keys in memory ({@link #refresh()}, which verifiers call
 *       before refusing): a password or presigned URL signed with a key another node just rotated in
 *       therefore verifies here at its first use. These reloads are rate-limited to one per
 *       {@code refreshInterval} (1 s by default), so forged signatures cannot hammer the database;
 *   <li>and at least every {@code reloadInterval} (60 s by default) otherwise, so that this node signs with
 *       a key rotated in elsewhere, and stops accepting a key retired elsewhere, within that time. This
 *       reload runs on a virtual thread of its own; the callers meanwhile use the keys in memory.
 * </ul>
 * Only the reload asked for by {@link #refresh()} runs on the caller's thread, which may be the data
 * plane's event loop: it waits for one read of the secret, at most once per {@code refreshInterval} and
 * only when a signature matched no key in memory.
 * A reload that changes the keys runs the {@link #onReload} listeners (the data plane forgets the
 * passwords it verified). A reload that fails (database unreachable, a damaged ring) keeps the keys in
 * memory and is logged; the first load fails loudly instead, so a damaged ring stops start-up.
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

    /** The ring's name in the {@link SecretStore}. */
    public static final String NAME = "token-signing-key";

    /** The default bound on how long a key rotated in on another node goes unused here. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(60);

    /** The default least time between two reloads caused by unknown signatures. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);

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

    /** Another node changed the ring between this rotation's read and its write; nothing was changed. */
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

        boolean sameKeys(Ring other) {
            return current.id().equals(other.current.id())
                    && Objects.equals(previous == null ? null : previous.id(),
                            other.previous == null ? null : other.previous.id());
        }
    }

    /** The ring in memory and when it was read (clock millis). */
    private record Loaded(Ring ring, long at) {
    }

    private final SecretStore store;
    private final Clock clock;
    private final long reloadMillis;
    private final long refreshMillis;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong lastRefresh = new AtomicLong(Long.MIN_VALUE);
    private final java.util.concurrent.atomic.AtomicBoolean reloading = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<Runnable> reloadListeners = new CopyOnWriteArrayList<>();
    private volatile Loaded cached;

    /**
     * A ring with the default intervals ({@link #DEFAULT_RELOAD_INTERVAL}, {@link #DEFAULT_REFRESH_INTERVAL}).
     *
     * @param store where the ring is kept
     * @param clock the creation time of new keys, and the time reloads are judged by
     */
    public SigningKeyRing(SecretStore store, Clock clock) {
        this(store, clock, DEFAULT_RELOAD_INTERVAL, DEFAULT_REFRESH_INTERVAL);
    }

    /**
     * @param reloadInterval how old the keys in memory may grow before they are read again
     * @param refreshInterval the least time between two reloads asked for by {@link #refresh()}
     */
    public SigningKeyRing(SecretStore store, Clock clock, Duration reloadInterval, Duration refreshInterval) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.reloadMillis = reloadInterval.toMillis();
        this.refreshMillis = refreshInterval.toMillis();
        if (reloadMillis <= 0 || refreshMillis <= 0) {
            throw new IllegalArgumentException("the reload and refresh intervals must be positive");
        }
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

    /**
     * Reads the ring from the store again, unless that was asked less than {@code refreshInterval} ago:
     * verifiers call this when a signature matched none of {@link #verificationKeys()}, so a key another
     * node rotated in verifies here at once.
     *
     * @return true if the keys changed (verify again), false if they did not or the reload was not done
     */
    @Override
    public boolean refresh() {
        long now = clock.millis();
        long last = lastRefresh.get();
        if (last != Long.MIN_VALUE && now - last < refreshMillis || !lastRefresh.compareAndSet(last, now)) {
            return false;
        }
        Ring before = ring();
        return !reload(true).sameKeys(before);
    }

    /** Runs {@code listener} after every reload that found keys different from those in memory. */
    public void onReload(Runnable listener) {
        reloadListeners.add(Objects.requireNonNull(listener, "listener"));
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
     * @throws ConcurrentRotation if another node wrote the ring meanwhile; this instance then serves
     *     the ring that node wrote
     */
    public synchronized Rotation rotate() {
        Entry fresh = generate();
        Optional<Versioned> stored = store.get(NAME);
        Ring next;
        boolean written;
        Entry retired = null;
        if (stored.isEmpty()) {
            next = new Ring(fresh, null);
            written = store.createIfAbsent(NAME, encode(next));
        } else {
            Ring old = decode(stored.get().value());
            next = new Ring(fresh, old.current());
            retired = old.previous();
            written = store.replace(NAME, stored.get().version(), encode(next));
        }
        if (!written) {
            Ring theirs = reload(true);
            throw new ConcurrentRotation("another node changed the secret " + NAME + " while this one rotated it;"
                    + " nothing was changed and the current key is " + theirs.current().id()
                    + ": rotate again to replace it");
        }
        cached = new Loaded(next, clock.millis());
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
        Loaded loaded = cached;
        if (loaded == null) {
            synchronized (this) {
                loaded = cached;
                if (loaded == null) {
                    loaded = new Loaded(load(), clock.millis());
                    cached = loaded;
                }
            }
        } else if (clock.millis() - loaded.at() >= reloadMillis && reloading.compareAndSet(false, true)) {
            // off the caller's thread (which may be an event loop): this call and those until it ends use
            // the keys in memory
            Thread.ofVirtual().name("signing-key-reload").start(() -> {
                try {
                    reload(false);
                } finally {
                    reloading.set(false);
                }
            });
        }
        return loaded.ring();
    }

    /**
     * Reads the ring again ({@code force}) or if the keys in memory are still older than the reload
     * interval once this thread holds the lock (the threads that found them stale together reload once). On
     * failure keeps (and returns) the keys in memory until the next interval.
     */
    private synchronized Ring reload(boolean force) {
        Loaded before = cached;
        if (!force && before != null && clock.millis() - before.at() < reloadMillis) {
            return before.ring();
        }
        Ring ring;
        try {
            ring = load();
        } catch (RuntimeException e) {
            if (before == null) {
                throw e;
            }
            LOG.error("Cannot reload the password signing keys (keeping current {}): {}", before.ring().current().id(),
                    e.getMessage(), e);
            cached = new Loaded(before.ring(), clock.millis());
            return before.ring();
        }
        cached = new Loaded(ring, clock.millis());
        if (before != null && !ring.sameKeys(before.ring())) {
            LOG.info("Reloaded the password signing keys rotated by another node: current {}, previous {}",
                    ring.current().id(), ring.previous() == null ? "none" : ring.previous().id());
            reloadListeners.forEach(Runnable::run);
        }
        return ring;
    }

    private Ring load() {
        Optional<Versioned> existing = store.get(NAME);
        if (existing.isPresent()) {
            return decode(existing.get().value());
        }
        Ring fresh = new Ring(generate(), null);
        if (store.createIfAbsent(NAME, encode(fresh))) {
            LOG.info("Generated a new registry password signing key {} (secret {})", fresh.current().id(), NAME);
            return fresh;
        }
        // another node created it between our get and our create: theirs is the ring
        return decode(store.get(NAME)
                .orElseThrow(() -> new IllegalStateException(NAME + " was created and then deleted concurrently"))
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
                throw new IllegalStateException(NAME + " does not hold " + ALGORITHM + " keys");
            }
            if (doc.has("key")) {
                return new Ring(entry(doc), null); // the single key of a version before rotation
            }
            if (!doc.path("current").isObject()) {
                throw new IllegalStateException(NAME + " has no current key");
            }
            JsonNode previous = doc.path("previous");
            return new Ring(entry(doc.get("current")), previous.isObject() ? entry(previous) : null);
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalStateException(NAME + " is not a valid signing key document", e);
        }
    }

    private static Entry entry(JsonNode node) {
        byte[] bytes = Base64.getDecoder().decode(node.path("key").asText());
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException(NAME + " holds a key of " + bytes.length + " bytes, not " + KEY_BYTES);
        }
        SecretKey key = new SecretKeySpec(bytes, ALGORITHM);
        String createdAt = node.path("createdAt").asText(null);
        return new Entry(key, keyId(key), createdAt == null ? null : Instant.parse(createdAt));
    }
}
