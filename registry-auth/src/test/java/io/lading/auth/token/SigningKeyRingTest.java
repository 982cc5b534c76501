package io.lading.auth.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.auth.sigv4.Credential;
import io.lading.core.error.RegistryException.AuthenticationFailed;
import io.lading.core.identity.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SigningKeyRingTest {

    private static final Principal ALICE = Principal.user("123456789012", "alice", "AKIAALICE0000000");
    private static final Credential CREDENTIAL = new Credential(ALICE.accessKeyId(), "secret-secret-secret", ALICE);

    private final InMemorySecrets store = new InMemorySecrets();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-14T12:00:00Z"));

    private SigningKeyRing ring(InMemorySecrets over) {
        return new SigningKeyRing(over, clock);
    }

    private RegistryTokens tokens(SigningKeySource keys) {
        return new RegistryTokens(keys, id -> Optional.of(CREDENTIAL), clock, RegistryTokens.DEFAULT_LIFETIME);
    }

    private String stored() {
        return new String(store.get(SigningKeyRing.NAME).orElseThrow().value(), StandardCharsets.UTF_8);
    }

    @Test
    void createsA32ByteKeyAtItsKey() {
        SecretKey key = ring(store).currentKey();
        assertEquals(32, key.getEncoded().length);
        assertEquals("HmacSHA256", key.getAlgorithm());
        assertEquals("{\"algorithm\":\"HmacSHA256\",\"current\":{\"key\":\""
                + Base64.getEncoder().encodeToString(key.getEncoded()) + "\",\"createdAt\":\"2025-03-14T12:00:00Z\"}}",
                stored());
        assertEquals(List.of(key), ring(store).verificationKeys());
    }

    @Test
    void twoNodesOverOneStoreAgree() {
        assertArrayEquals(ring(store).currentKey().getEncoded(), ring(store).currentKey().getEncoded());
    }

    @Test
    void tokenIssuedOnOneNodeVerifiesOnAnother() {
        assertEquals(ALICE, tokens(ring(store)).verify(tokens(ring(store)).issue(ALICE).password()));
    }

    @Test
    void loserOfCreationRaceReadsWinnersKey() {
        SecretKey winner = ring(store).currentKey();
        // the loser's first read happens before the winner's create lands, so it tries to create too
        AtomicBoolean firstGet = new AtomicBoolean(true);
        InMemorySecrets racing = new InMemorySecrets() {
            @Override
            public Optional<Versioned> get(String key) {
                return firstGet.getAndSet(false) ? Optional.empty() : store.get(key);
            }

            @Override
            public boolean createIfAbsent(String key, byte[] value) {
                return store.createIfAbsent(key, value);
            }
        };
        assertArrayEquals(winner.getEncoded(), ring(racing).currentKey().getEncoded());
    }

    @Test
    void readsTheStoreOnlyOnceWithinTheReloadInterval() {
        SigningKeyRing keys = ring(store);
        keys.currentKey();
        int reads = store.gets.get();
        for (int i = 0; i < 100; i++) {
            keys.currentKey();
            keys.verificationKeys();
        }
        assertEquals(reads, store.gets.get());
    }

    @Test
    void separateStoresGetSeparateKeys() {
        assertNotEquals(ring(store).currentKeyId(), ring(new InMemorySecrets()).currentKeyId());
    }

    @Test
    void refusesCorruptKeyDocument() {
        for (String doc : List.of("{\"algorithm\":\"HmacSHA256\",\"key\":\"c2hvcnQ=\"}", "not json",
                "{\"algorithm\":\"HmacSHA256\"}", "{\"algorithm\":\"HmacSHA1\",\"current\":{\"key\":\"\"}}",
                "{\"algorithm\":\"HmacSHA256\",\"current\":{\"key\":\"" + "A".repeat(44) + "\",\"createdAt\":\"noon\"}}")) {
            store.put(SigningKeyRing.NAME, doc.getBytes(StandardCharsets.UTF_8));
            assertThrows(IllegalStateException.class, () -> ring(store).currentKey(), doc);
        }
    }

    @Test
    void oneRotationKeepsOutstandingPasswordsAndTheSecondRefusesThem() {
        SigningKeyRing keys = ring(store);
        RegistryTokens tokens = tokens(keys);
        String beforeRotation = tokens.issue(ALICE).password();

        keys.rotate();
        String afterOne = tokens.issue(ALICE).password();
        assertEquals(ALICE, tokens.verify(beforeRotation));
        assertEquals(ALICE, tokens.verify(afterOne));

        keys.rotate();
        AuthenticationFailed refused = assertThrows(AuthenticationFailed.class, () -> tokens.verify(beforeRotation));
        assertEquals(AuthenticationFailed.Kind.TOKEN_INVALID, refused.kind());
        assertEquals(ALICE, tokens.verify(afterOne));
        assertEquals(ALICE, tokens.verify(tokens.issue(ALICE).password()));
    }

    @Test
    void newPasswordsAreSignedWithTheNewKeyOnly() {
        SigningKeyRing keys = ring(store);
        SecretKey old = keys.currentKey();
        keys.rotate();
        String password = tokens(keys).issue(ALICE).password();
        assertThrows(AuthenticationFailed.class, () -> tokens(() -> old).verify(password));
        assertEquals(List.of(keys.currentKey(), old), keys.verificationKeys());
    }

    @Test
    void reportNamesTheKeysByIdAndWritesTheRing() {
        SigningKeyRing keys = ring(store);
        String first = keys.currentKeyId();
        clock.advance(java.time.Duration.ofHours(1));
        SigningKeyRing.Rotation one = keys.rotate();
        assertEquals(keys.currentKeyId(), one.keyId());
        assertEquals(first, one.previousKeyId());
        assertNull(one.retiredKeyId());
        assertEquals(Instant.parse("2025-03-14T13:00:00Z"), one.rotatedAt());
        assertEquals(Optional.of(first), keys.previousKeyId());
        assertTrue(one.keyId().matches("[0-9a-f]{16}"), one.keyId());

        SigningKeyRing.Rotation two = keys.rotate();
        assertEquals(one.keyId(), two.previousKeyId());
        assertEquals(first, two.retiredKeyId());
        String doc = stored();
        assertFalse(doc.contains(first), "ids are derived, not stored: " + doc);
        assertFalse(two.toString().contains(Base64.getEncoder().encodeToString(keys.currentKey().getEncoded())));

        // another process opening the store (a restart) serves the rotated ring
        SigningKeyRing restarted = ring(store);
        assertEquals(two.keyId(), restarted.currentKeyId());
        assertEquals(Optional.of(one.keyId()), restarted.previousKeyId());
    }

    @Test
    void rotatingAStoreWithoutKeysCreatesTheRing() {
        SigningKeyRing.Rotation rotation = ring(store).rotate();
        assertNull(rotation.previousKeyId());
        assertEquals(rotation.keyId(), ring(store).currentKeyId());
    }

    @Test
    void keyIdIsAFingerprintOfTheKey() {
        SecretKey key = new SecretKeySpec(new byte[32], "HmacSHA256");
        assertEquals(SigningKeyRing.keyId(key), SigningKeyRing.keyId(new SecretKeySpec(new byte[32], "HmacSHA256")));
        byte[] other = new byte[32];
        other[31] = 1;
        assertNotEquals(SigningKeyRing.keyId(key), SigningKeyRing.keyId(new SecretKeySpec(other, "HmacSHA256")));
    }

    @Test
    void readsTheSingleKeyDocumentOfEarlierVersions() {
        byte[] legacy = new byte[32];
        legacy[0] = 7;
        SecretKey legacyKey = new SecretKeySpec(legacy, "HmacSHA256");
        store.put(SigningKeyRing.NAME, ("{\"algorithm\":\"HmacSHA256\",\"key\":\""
                + Base64.getEncoder().encodeToString(legacy) + "\"}").getBytes(StandardCharsets.UTF_8));
        String outstanding = tokens(() -> legacyKey).issue(ALICE).password();

        SigningKeyRing keys = ring(store);
        assertArrayEquals(legacy, keys.currentKey().getEncoded());
        assertEquals(ALICE, tokens(keys).verify(outstanding));
        SigningKeyRing.Rotation rotation = keys.rotate();
        assertEquals(SigningKeyRing.keyId(legacyKey), rotation.previousKeyId());
        assertEquals(ALICE, tokens(ring(store)).verify(outstanding));
        assertTrue(stored().contains("\"previous\":{\"key\":\"" + Base64.getEncoder().encodeToString(legacy) + "\"}"),
                stored());
    }

    /**
     * Two processes rotate at once: both read the same ring, the other writes first. The slower one must
     * not overwrite the other's new key (the other process signs with it); it changes nothing, fails,
     * and serves the ring that landed.
     */
    @Test
    void aRotationRacingAnotherChangesNothingAndAdoptsTheWinnersRing() {
        AtomicBoolean raced = new AtomicBoolean();
        SigningKeyRing[] other = new SigningKeyRing[1];
        InMemorySecrets racing = new InMemorySecrets() {
            @Override
            public boolean replace(String key, long expectedVersion, byte[] value) {
                if (!raced.getAndSet(true)) {
                    other[0].rotate(); // lands between the slow rotation's read and its write
                }
                return super.replace(key, expectedVersion, value);
            }
        };
        other[0] = ring(racing);
        SigningKeyRing slow = ring(racing);
        String original = slow.currentKeyId();
        String winnersPassword = tokens(other[0]).issue(ALICE).password();

        assertThrows(SigningKeyRing.ConcurrentRotation.class, slow::rotate);

        assertEquals(other[0].currentKeyId(), ring(racing).currentKeyId());
        assertEquals(Optional.of(original), ring(racing).previousKeyId());
        assertEquals(other[0].currentKeyId(), slow.currentKeyId());
        assertEquals(ALICE, tokens(slow).verify(tokens(other[0]).issue(ALICE).password()));
        assertEquals(ALICE, tokens(slow).verify(winnersPassword));
    }

    /** Node B learns of a rotation on node A from the first password A's new key signed. */
    @Test
    void aPasswordSignedWithAKeyRotatedInOnAnotherNodeVerifiesAtOnce() {
        SigningKeyRing nodeA = ring(store);
        SigningKeyRing nodeB = ring(store);
        String before = tokens(nodeA).issue(ALICE).password();
        assertEquals(ALICE, tokens(nodeB).verify(before));
        List<String> reloads = new java.util.ArrayList<>();
        nodeB.onReload(() -> reloads.add("reloaded"));
        nodeA.rotate();
        String signedByNewKey = tokens(nodeA).issue(ALICE).password();
        assertEquals(ALICE, tokens(nodeB).verify(signedByNewKey), "B reloads on the unknown signature");
        assertEquals(nodeA.currentKeyId(), nodeB.currentKeyId(), "and signs with the new key from then on");
        assertEquals(List.of("reloaded"), reloads);
        assertEquals(ALICE, tokens(nodeB).verify(before), "the previous key still verifies");
    }

    @Test
    void unknownSignaturesReloadAtMostOncePerRefreshInterval() {
        SigningKeyRing keys = ring(store);
        keys.currentKey();
        int reads = store.gets.get();
        String forged = tokens(() -> new SecretKeySpec(new byte[32], "HmacSHA256")).issue(ALICE).password();
        for (int i = 0; i < 100; i++) {
            assertThrows(AuthenticationFailed.class, () -> tokens(keys).verify(forged));
        }
        assertEquals(reads + 1, store.gets.get(), "one reload for a hundred forged passwords");
        clock.advance(SigningKeyRing.DEFAULT_REFRESH_INTERVAL);
        assertThrows(AuthenticationFailed.class, () -> tokens(keys).verify(forged));
        assertEquals(reads + 2, store.gets.get(), "one more a second later");
    }

    @Test
    void aRotationElsewhereIsSignedWithHereWithinTheReloadInterval() {
        SigningKeyRing nodeA = ring(store);
        SigningKeyRing nodeB = ring(store);
        String original = nodeB.currentKeyId();
        nodeA.rotate();
        clock.advance(SigningKeyRing.DEFAULT_RELOAD_INTERVAL.minusSeconds(1));
        assertEquals(original, nodeB.currentKeyId(), "served from memory within the interval");
        clock.advance(java.time.Duration.ofSeconds(1));
        nodeB.currentKeyId(); // starts the reload in the background
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!nodeA.currentKeyId().equals(nodeB.currentKeyId()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(nodeA.currentKeyId(), nodeB.currentKeyId());
    }

    @Test
    void aReloadThatFailsKeepsTheKeysInMemory() throws Exception {
        AtomicBoolean down = new AtomicBoolean();
        InMemorySecrets flaky = new InMemorySecrets() {
            @Override
            public Optional<Versioned> get(String name) {
                if (down.get()) {
                    throw new IllegalStateException("database unreachable");
                }
                return super.get(name);
            }
        };
        SigningKeyRing keys = ring(flaky);
        String id = keys.currentKeyId();
        down.set(true);
        clock.advance(SigningKeyRing.DEFAULT_RELOAD_INTERVAL);
        assertEquals(id, keys.currentKeyId());
        Thread.sleep(100); // the background reload fails
        assertEquals(id, keys.currentKeyId());
        assertFalse(keys.refresh());
        assertThrows(IllegalStateException.class, () -> ring(flaky).currentKey(), "a first load fails loudly");
    }
}
