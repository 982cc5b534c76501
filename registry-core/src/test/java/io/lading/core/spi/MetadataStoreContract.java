package io.lading.core.spi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.spi.MetadataStore.Versioned;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link MetadataStore} must show. A backend's test extends this class and
 * supplies a fresh, empty store per test.
 */
public abstract class MetadataStoreContract {

    private static final int THREADS = 8;

    protected MetadataStore store;

    /** A fresh, empty store; called once per test. */
    protected abstract MetadataStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private String valueOf(String key) {
        return new String(store.get(key).orElseThrow().value(), UTF_8);
    }

    @Test
    void getOfMissingKeyIsEmpty() {
        assertEquals(Optional.empty(), store.get("repositories/none/_repository"));
    }

    @Test
    void createIfAbsentThenGetReturnsTheValue() {
        assertTrue(store.createIfAbsent("a/b/c", bytes("first")));

        Versioned v = store.get("a/b/c").orElseThrow();
        assertArrayEquals(bytes("first"), v.value());
        assertTrue(v.version() != null && !v.version().isEmpty(), "a version is reported");
    }

    @Test
    void emptyValueIsStoredAndDistinctFromMissing() {
        assertTrue(store.createIfAbsent("a/empty", new byte[0]));

        assertArrayEquals(new byte[0], store.get("a/empty").orElseThrow().value());
    }

    @Test
    void secondCreateIfAbsentKeepsFirstValue() {
        assertTrue(store.createIfAbsent("k", bytes("first")));
        String version = store.get("k").orElseThrow().version();

        assertFalse(store.createIfAbsent("k", bytes("second")));

        assertEquals("first", valueOf("k"));
        assertEquals(version, store.get("k").orElseThrow().version());
    }

    @Test
    void replaceWithCurrentVersionWritesValueAndChangesVersion() {
        store.createIfAbsent("tags/latest", bytes("one"));
        String v1 = store.get("tags/latest").orElseThrow().version();

        assertTrue(store.replace("tags/latest", v1, bytes("two")));

        Versioned after = store.get("tags/latest").orElseThrow();
        assertArrayEquals(bytes("two"), after.value());
        assertNotEquals(v1, after.version());
    }

    @Test
    void replaceWithStaleVersionFailsAndChangesNothing() {
        store.createIfAbsent("tags/latest", bytes("one"));
        String stale = store.get("tags/latest").orElseThrow().version();
        assertTrue(store.replace("tags/latest", stale, bytes("two")));
        String current = store.get("tags/latest").orElseThrow().version();

        assertFalse(store.replace("tags/latest", stale, bytes("three")));

        assertEquals("two", valueOf("tags/latest"));
        assertEquals(current, store.get("tags/latest").orElseThrow().version());
    }

    @Test
    void replaceOfMissingKeyFailsAndCreatesNothing() {
        store.createIfAbsent("other", bytes("x"));
        String someVersion = store.get("other").orElseThrow().version();

        assertFalse(store.replace("missing", someVersion, bytes("x")));

        assertEquals(Optional.empty(), store.get("missing"));
    }

    @Test
    void putWritesWhetherOrNotTheKeyExists() {
        store.put("pulls/x", bytes("1"));
        assertEquals("1", valueOf("pulls/x"));

        store.put("pulls/x", bytes("2"));
        assertEquals("2", valueOf("pulls/x"));
    }

    @Test
    void deleteWithCurrentVersionRemovesTheKey() {
        store.createIfAbsent("d/k", bytes("v"));
        String version = store.get("d/k").orElseThrow().version();

        assertTrue(store.delete("d/k", version));

        assertEquals(Optional.empty(), store.get("d/k"));
        assertEquals(List.of(), store.list("d/"));
    }

    @Test
    void deleteWithStaleVersionKeepsTheKey() {
        store.createIfAbsent("d/k", bytes("v1"));
        String stale = store.get("d/k").orElseThrow().version();
        store.put("d/k", bytes("v2"));

        assertFalse(store.delete("d/k", stale));

        assertEquals("v2", valueOf("d/k"));
    }

    @Test
    void deleteWithVersionOfMissingKeyReturnsFalse() {
        store.createIfAbsent("present", bytes("v"));
        String version = store.get("present").orElseThrow().version();

        assertFalse(store.delete("absent", version));
    }

    @Test
    void unconditionalDeleteRemovesTheKey() {
        store.put("d/k", bytes("v"));

        store.delete("d/k");

        assertEquals(Optional.empty(), store.get("d/k"));
    }

    @Test
    void deleteOfMissingKeyIsNotAnError() {
        store.delete("never/there");

        assertEquals(Optional.empty(), store.get("never/there"));
    }

    @Test
    void keyCanBeCreatedAgainAfterDelete() {
        store.createIfAbsent("a/b/c", bytes("old"));
        store.delete("a/b/c");

        assertTrue(store.createIfAbsent("a/b/c", bytes("new")));

        assertEquals("new", valueOf("a/b/c"));
    }

    @Test
    void keyAndKeysBelowItCoexist() {
        assertTrue(store.createIfAbsent("a/b", bytes("parent")));
        assertTrue(store.createIfAbsent("a/b/c", bytes("child")));

        assertEquals("parent", valueOf("a/b"));
        assertEquals("child", valueOf("a/b/c"));
        assertEquals(Set.of("a/b/c"), Set.copyOf(store.list("a/b/")));
        assertEquals(Set.of("a/b", "a/b/c"), Set.copyOf(store.list("a/")));

        store.delete("a/b/c");
        assertEquals("parent", valueOf("a/b"));
    }

    @Test
    void listReturnsExactlyTheKeysUnderThePrefix() {
        for (String key : List.of("a/b/1", "a/b/2", "a/b/c/3", "a/b/c/d/4", "a/bc/x", "a/b", "b/1", "a/x")) {
            store.put(key, bytes(key));
        }

        List<String> listed = store.list("a/b/");

        assertEquals(4, listed.size(), "no duplicates: " + listed);
        assertEquals(Set.of("a/b/1", "a/b/2", "a/b/c/3", "a/b/c/d/4"), Set.copyOf(listed));
    }

    @Test
    void listOfUnknownPrefixIsEmpty() {
        store.put("a/b/1", bytes("x"));

        assertEquals(List.of(), store.list("z/"));
        assertEquals(List.of(), store.list("a/b/1/"));
    }

    @Test
    void listDoesNotReturnDeletedKeys() {
        store.put("l/1", bytes("x"));
        store.put("l/2/deep", bytes("y"));
        store.delete("l/2/deep");

        assertEquals(List.of("l/1"), store.list("l/"));
    }

    @Test
    void keysMayUseEveryAllowedCharacter() {
        String key = "Repo_1/sub-dir/tag:v1.2-rc_3/sha256:abc.DEF";

        assertTrue(store.createIfAbsent(key, bytes("x")));

        assertEquals("x", valueOf(key));
        assertEquals(List.of(key), store.list("Repo_1/"));
    }

    @Test
    void aQuarantinedDocumentLeavesTheKeySpaceAndIsListedWithItsReason() {
        java.time.Instant at = java.time.Instant.parse("2026-01-02T03:04:05Z");
        store.put("q/bad", bytes("{broken"));
        store.put("q/good", bytes("{}"));

        QuarantinedDocument q = store.quarantine("q/bad", "not JSON", at).orElseThrow();

        assertEquals("q/bad", q.key());
        assertEquals("not JSON", q.reason());
        assertEquals(at, q.quarantinedAt());
        assertEquals(Optional.empty(), store.get("q/bad"));
        assertEquals(List.of("q/good"), store.list("q/"));
        assertEquals(List.of(q), store.quarantined());
        assertEquals(Optional.empty(), store.quarantine("q/missing", "x", at), "nothing to quarantine");
        assertTrue(store.createIfAbsent("q/bad", bytes("{}")), "the key can be written again");
    }

    /**
     * Every repository name the API accepts (up to 256 characters, in one segment or several) must fit,
     * however the store maps keys to names with a length limit (a filesystem's 255 bytes).
     */
    @ParameterizedTest
    @ValueSource(ints = {199, 200, 201, 255, 256, 400, 601})
    void keysWithSegmentsLongerThanAFileNameWork(int length) {
        String longSegment = "n".repeat(length - 1) + "z";
        String repo = "repositories/" + longSegment;
        String key = repo + "/images/sha256:" + "a".repeat(64);
        String nested = repo + "/" + "s".repeat(length) + "/tag";

        assertTrue(store.createIfAbsent(key, bytes("image")));
        store.put(nested, bytes("nested"));
        store.put(repo, bytes("repository"));

        assertEquals("image", valueOf(key));
        assertEquals("nested", valueOf(nested));
        assertEquals("repository", valueOf(repo));
        assertEquals(Set.of(key, nested), Set.copyOf(store.list(repo + "/")));
        assertEquals(Set.of(key, nested, repo), Set.copyOf(store.list("repositories/")));
        String version = store.get(key).orElseThrow().version();
        assertTrue(store.replace(key, version, bytes("image2")));
        assertTrue(store.delete(key, store.get(key).orElseThrow().version()));
        store.delete(nested);
        assertEquals(List.of(repo), store.list("repositories/"));
        assertEquals(Optional.empty(), store.get(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../b", "a//b", "/a", "a/", "", "a/./b", ".", "..", "a b/c", "a/b c",
        "a\\b", "a/b\\c", "a/\u00e9", "a/b*", "a\n"})
    void invalidKeysAreRejected(String key) {
        assertAll(
                () -> assertThrows(IllegalArgumentException.class, () -> store.get(key)),
                () -> assertThrows(IllegalArgumentException.class, () -> store.createIfAbsent(key, bytes("x"))),
                () -> assertThrows(IllegalArgumentException.class, () -> store.replace(key, "v", bytes("x"))),
                () -> assertThrows(IllegalArgumentException.class, () -> store.put(key, bytes("x"))),
                () -> assertThrows(IllegalArgumentException.class, () -> store.delete(key, "v")),
                () -> assertThrows(IllegalArgumentException.class, () -> store.delete(key)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../", "a/../", "a//", "/a/", "a", "a/./", "a b/"})
    void invalidPrefixesAreRejected(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> store.list(prefix));
    }

    @Test
    void concurrentCreateIfAbsentHasExactlyOneWinner() throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            byte[] value = bytes("writer-" + i);
            tasks.add(() -> {
                start.await(30, TimeUnit.SECONDS);
                return store.createIfAbsent("race/key", value);
            });
        }

        List<Boolean> results = runAll(tasks);

        List<Integer> winners = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            if (results.get(i)) {
                winners.add(i);
            }
        }
        assertEquals(1, winners.size(), "winners: " + winners);
        assertEquals("writer-" + winners.get(0), valueOf("race/key"));
    }

    @Test
    void concurrentCompareAndSwapIncrementsLoseNoUpdate() throws Exception {
        int increments = 50;
        store.createIfAbsent("counter", bytes("0"));
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            tasks.add(() -> {
                start.await(30, TimeUnit.SECONDS);
                int conflicts = 0;
                for (int n = 0; n < increments; n++) {
                    while (true) {
                        Versioned current = store.get("counter").orElseThrow();
                        int value = Integer.parseInt(new String(current.value(), UTF_8));
                        if (store.replace("counter", current.version(), bytes(Integer.toString(value + 1)))) {
                            break;
                        }
                        conflicts++;
                    }
                }
                return conflicts;
            });
        }

        runAll(tasks);

        assertEquals(Integer.toString(THREADS * increments), valueOf("counter"));
    }

    @Test
    void concurrentWritersOfDifferentKeysInOneDirectoryAllSucceed() throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            String key = "shared/dir/k" + i;
            tasks.add(() -> {
                start.await(30, TimeUnit.SECONDS);
                for (int n = 0; n < 50; n++) {
                    if (!store.createIfAbsent(key, bytes("v"))) {
                        return false;
                    }
                    store.delete(key);
                }
                return store.createIfAbsent(key, bytes("final"));
            });
        }

        List<Boolean> results = runAll(tasks);

        assertEquals(Collections.nCopies(THREADS, true), results);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < THREADS; i++) {
            expected.add("shared/dir/k" + i);
        }
        assertEquals(expected, Set.copyOf(store.list("shared/")));
    }

    private static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
