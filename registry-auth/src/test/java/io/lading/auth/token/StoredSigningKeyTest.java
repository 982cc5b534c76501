package io.lading.auth.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.auth.sigv4.Credential;
import io.lading.core.identity.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class StoredSigningKeyTest {

    private final InMemoryMetadataStore store = new InMemoryMetadataStore();

    @Test
    void createsA32ByteKeyAtItsKey() {
        SecretKey key = new StoredSigningKey(store).currentKey();
        assertEquals(32, key.getEncoded().length);
        assertEquals("HmacSHA256", key.getAlgorithm());
        String stored = new String(store.get(StoredSigningKey.KEY).orElseThrow().value(), StandardCharsets.UTF_8);
        assertTrue(stored.startsWith("{\"algorithm\":\"HmacSHA256\",\"key\":\""), stored);
    }

    @Test
    void twoNodesOverOneStoreAgree() {
        StoredSigningKey first = new StoredSigningKey(store);
        StoredSigningKey second = new StoredSigningKey(store);
        assertArrayEquals(first.currentKey().getEncoded(), second.currentKey().getEncoded());
    }

    @Test
    void tokenIssuedOnOneNodeVerifiesOnAnother() {
        Principal alice = Principal.user("123456789012", "alice", "AKIAALICE0000000");
        Credential credential = new Credential(alice.accessKeyId(), "secret-secret-secret", alice);
        MutableClock clock = new MutableClock(Instant.parse("2025-03-14T12:00:00Z"));
        RegistryTokens nodeA = new RegistryTokens(new StoredSigningKey(store), id -> Optional.of(credential), clock,
                RegistryTokens.DEFAULT_LIFETIME);
        RegistryTokens nodeB = new RegistryTokens(new StoredSigningKey(store), id -> Optional.of(credential), clock,
                RegistryTokens.DEFAULT_LIFETIME);
        assertEquals(alice, nodeB.verify(nodeA.issue(alice).password()));
    }

    @Test
    void loserOfCreationRaceReadsWinnersKey() {
        SecretKey winner = new StoredSigningKey(store).currentKey();
        // the loser's first read happens before the winner's create lands, so it tries to create too
        AtomicBoolean firstGet = new AtomicBoolean(true);
        InMemoryMetadataStore racing = new InMemoryMetadataStore() {
            @Override
            public Optional<Versioned> get(String key) {
                return firstGet.getAndSet(false) ? Optional.empty() : store.get(key);
            }

            @Override
            public boolean createIfAbsent(String key, byte[] value) {
                return store.createIfAbsent(key, value);
            }
        };
        assertArrayEquals(winner.getEncoded(), new StoredSigningKey(racing).currentKey().getEncoded());
    }

    @Test
    void readsTheStoreOnlyOnce() {
        StoredSigningKey keys = new StoredSigningKey(store);
        keys.currentKey();
        int reads = store.gets.get();
        for (int i = 0; i < 100; i++) {
            keys.currentKey();
        }
        assertEquals(reads, store.gets.get());
    }

    @Test
    void separateStoresGetSeparateKeys() {
        assertNotEquals(new String(new StoredSigningKey(store).currentKey().getEncoded(), StandardCharsets.ISO_8859_1),
                new String(new StoredSigningKey(new InMemoryMetadataStore()).currentKey().getEncoded(),
                        StandardCharsets.ISO_8859_1));
    }

    @Test
    void refusesCorruptKeyDocument() {
        store.put(StoredSigningKey.KEY, "{\"algorithm\":\"HmacSHA256\",\"key\":\"c2hvcnQ=\"}".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> new StoredSigningKey(store).currentKey());
        store.put(StoredSigningKey.KEY, "not json".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> new StoredSigningKey(store).currentKey());
    }
}
