package io.lading.storage.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lading.core.digest.Digest;
import io.lading.core.image.ImageRecord;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.spi.MetadataCatalog;
import io.lading.core.spi.MetadataCatalog.BlobLink;
import io.lading.storage.sql.CatalogChange.TagChanged;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes (two connection pools, two caches, two feeds) on one real PostgreSQL database: what one writes,
 * the other serves within {@link ChangeFeed#STALENESS_BOUND}, also after the listener's connection is
 * killed, the sender's queue overflows or its connection dies. Skipped without PostgreSQL, except under
 * {@code CI=true}.
 */
@Timeout(120)
class ChangeFeedTest {

    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
    private static final String ACCOUNT = "123456789012";
    private static final Duration BOUND = ChangeFeed.STALENESS_BOUND;

    /** One Lading node's metadata: its pool, its cached catalog and its feed. */
    private record Node(String id, SqlDatabase db, ChangeFeed feed, CachedMetadataCatalog catalog) implements AutoCloseable {
        long metric(String name) {
            return feed.metrics().getOrDefault(name, -1L);
        }

        @Override
        public void close() {
            feed.close();
            db.close();
        }
    }

    private final List<AutoCloseable> open = new ArrayList<>();
    private String url;
    private String user;
    private MetadataCatalog raw; // writes behind every node's cache, publishing nothing
    private long repo;
    private final Digest m1 = d("m1");
    private final Digest m2 = d("m2");

    @BeforeEach
    void setUp() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        assumeTrue(ci || PostgresTestCluster.available(), "PostgreSQL is not installed (apt-get install postgresql)");
        PostgresTestCluster pg = PostgresTestCluster.get();
        url = pg.newDatabase();
        user = pg.user();
        SqlDatabase rawDb = SqlDatabase.postgresql(url, user, "", 2);
        open.add(rawDb);
        raw = new SqlMetadataCatalog(rawDb, ACCOUNT);
        repo = raw.createRepository("team/app", RepositoryRecord.defaults(T)).orElseThrow().id();
        raw.putImage(repo, image(m1));
        raw.putImage(repo, image(m2));
        raw.setTag(repo, "v1", m1, T, true);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private static Digest d(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ImageRecord image(Digest digest) {
        return new ImageRecord(digest, digest, "application/vnd.oci.image.manifest.v1+json", 100, 100, T, null, List.of(),
                List.of(), null, null, null, Map.of());
    }

    private Node node(Duration bound, int queueCapacity, boolean start) {
        String id = UUID.randomUUID().toString();
        SqlDatabase db = SqlDatabase.postgresql(url, user, "", 4);
        ChangeFeed feed = new ChangeFeed(db, id, bound, queueCapacity);
        CachedMetadataCatalog catalog = new CachedMetadataCatalog(new SqlMetadataCatalog(db, ACCOUNT), 1 << 20, feed.publisher());
        Node n = new Node(id, db, feed, catalog);
        open.add(n);
        if (start) {
            feed.start(catalog);
            await(n, "connected", 1);
        }
        return n;
    }

    private Node node() {
        return node(BOUND, ChangeFeed.QUEUE_CAPACITY, true);
    }

    /** A node with a bound of a minute: no watchdog flush within a test can stand in for a notification. */
    private Node quietNode() {
        return node(Duration.ofMinutes(1), ChangeFeed.QUEUE_CAPACITY, true);
    }

    /** Waits (at most 10 s) until {@code node}'s feed metric {@code name} is at least {@code atLeast}. */
    private static void await(Node node, String name, long atLeast) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (node.metric(name) < atLeast) {
            if (System.nanoTime() > deadline) {
                fail(name + " stayed at " + node.metric(name) + ", below " + atLeast + ": " + node.feed().metrics());
            }
            sleep(5);
        }
    }

    /** Asserts that {@code read} answers {@code expected} within the staleness bound, and returns how long it took. */
    private static <T> Duration within(Supplier<T> read, T expected) {
        long start = System.nanoTime();
        long deadline = start + BOUND.toNanos();
        T last;
        while (!(last = read.get()).equals(expected)) {
            if (System.nanoTime() > deadline) {
                fail("still " + last + " instead of " + expected + " after " + BOUND.toMillis() + " ms");
            }
            sleep(2);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Reads until the answer comes from the cache (a notification or a watchdog flush may drop the first
     * load: three tries) and returns it.
     */
    private static <T> T warm(Node node, String cache, Supplier<T> read) {
        for (int i = 0; i < 3; i++) {
            T first = read.get();
            long hits = node.catalog().metrics().get(cache + ".hits");
            assertEquals(first, read.get());
            if (node.catalog().metrics().get(cache + ".hits") == hits + 1) {
                return first;
            }
        }
        return fail("the " + cache + " cache does not keep the answer");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void notify(String payload) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, "");
                PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, ChangeFeed.CHANNEL);
            s.setString(2, payload);
            s.executeQuery().close();
        }
    }

    /** A connection to the cluster's {@code postgres} database (node ids make application names unique). */
    private Connection admin() throws SQLException {
        return DriverManager.getConnection(url.substring(0, url.lastIndexOf('/') + 1) + "postgres", user, "");
    }

    private boolean terminate(String applicationName) throws SQLException {
        try (Connection c = admin();
                PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE application_name = ?")) {
            s.setString(1, applicationName);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    private int sessions(String applicationName) throws SQLException {
        try (Connection c = admin();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, applicationName);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    @Test
    void aTagMovedOnOneNodeIsServedByTheOtherWithinTheBound() {
        Node a = node();
        Node b = node();
        assertEquals(Optional.of(m1), warm(b, "tag", () -> b.catalog().tag(repo, "v1")));
        long received = b.metric("received");
        a.catalog().setTag(repo, "v1", m2, T, true);
        assertEquals(Optional.of(m2), a.catalog().tag(repo, "v1"), "a node reads its own writes at once");
        Duration took = within(() -> b.catalog().tag(repo, "v1"), Optional.of(m2));
        assertTrue(b.metric("received") > received, "by the notification");
        List<Long> micros = new ArrayList<>(List.of(took.toNanos() / 1000));
        for (int i = 0; i < 20; i++) {
            Digest next = i % 2 == 0 ? m1 : m2;
            a.catalog().setTag(repo, "v1", next, T, true);
            micros.add(within(() -> b.catalog().tag(repo, "v1"), Optional.of(next)).toNanos() / 1000);
        }
        System.out.println("tag moves seen by the other node after (us): " + micros);
    }

    @Test
    void anImageRemovalDropsTheImageAndItsTagsOnTheOtherNode() {
        Node a = node();
        Node b = node();
        raw.setTag(repo, "latest", m1, T, true);
        assertTrue(warm(b, "image", () -> b.catalog().image(repo, m1)).isPresent());
        warm(b, "tag", () -> b.catalog().tag(repo, "latest"));
        assertEquals(java.util.Set.of("latest", "v1"), java.util.Set.copyOf(a.catalog().removeImage(repo, m1)));
        within(() -> b.catalog().image(repo, m1), Optional.empty());
        within(() -> b.catalog().tag(repo, "latest"), Optional.empty());
        within(() -> b.catalog().tag(repo, "v1"), Optional.empty());
        assertTrue(b.catalog().image(repo, m2).isPresent());
    }

    @Test
    void aRepositoryDeletionAndALinkRemovalAreSeenByTheOtherNode() {
        Node a = node();
        Node b = node();
        Digest blob = d("layer");
        a.catalog().putLink(repo, blob, 10, T);
        await(b, "received", 1);
        assertEquals(Optional.of(new BlobLink(10, T)), warm(b, "link", () -> b.catalog().link(repo, blob)));
        a.catalog().removeLink(repo, blob);
        within(() -> b.catalog().link(repo, blob), Optional.empty());

        assertTrue(warm(b, "repository", () -> b.catalog().repository("team/app")).isPresent());
        assertEquals(Optional.of(m1), warm(b, "tag", () -> b.catalog().tag(repo, "v1")));
        assertTrue(a.catalog().deleteRepository(repo));
        within(() -> b.catalog().repository("team/app"), Optional.empty());
        within(() -> b.catalog().tag(repo, "v1"), Optional.empty());
    }

    @Test
    void aSenderWhoseQueueOverflowedSendsEverythingInsteadAndTheReceiverDropsAllItsEntries() {
        Node b = quietNode();
        Node a = node(BOUND, 4, false);
        warm(b, "tag", () -> b.catalog().tag(repo, "v1"));
        raw.setTag(repo, "v1", m2, T, true); // b does not know
        for (int i = 0; i < 10; i++) {
            a.catalog().putLink(repo, d("blob" + i), i, T);
        }
        assertEquals(6, a.metric("dropped"));
        assertEquals(4, a.metric("queued"));
        assertEquals(Optional.of(m1), b.catalog().tag(repo, "v1"), "stale until the feed says so");
        long everything = b.metric("everythingReceived");
        a.feed().start(a.catalog());
        within(() -> b.catalog().tag(repo, "v1"), Optional.of(m2));
        assertEquals(everything + 1, b.metric("everythingReceived"));
        assertEquals(0, b.metric("outOfSyncFlushes"));
        await(a, "everythingSent", 1); // counted once the send returned, maybe after b got it
        assertEquals(1, a.metric("everythingSent"));
        assertEquals(1, a.metric("sent"), "the queued changes are covered by everything, not sent too");
        assertEquals(0, a.metric("queued"));
    }

    @Test
    void aKilledListenerConnectionReconnectsDropsEverythingAndKeepsDelivering() throws Exception {
        Node a = node();
        Node b = quietNode();
        int pid = b.feed().listener().backendPid();
        assertTrue(pid > 0);
        warm(b, "tag", () -> b.catalog().tag(repo, "v1"));
        raw.setTag(repo, "v1", m2, T, true); // missed by b: as if sent while it was disconnected
        assertTrue(terminate("lading-feed-listener-" + b.id()));
        await(b, "reconnects", 1);
        await(b, "connected", 1);
        assertNotEquals(pid, b.feed().listener().backendPid());
        assertEquals(Optional.of(m2), b.catalog().tag(repo, "v1"), "everything was dropped after the reconnection");
        assertEquals(0, b.metric("outOfSyncFlushes"), "by the reconnection, not by the watchdog");
        warm(b, "tag", () -> b.catalog().tag(repo, "v1"));
        long received = b.metric("received");
        a.catalog().setTag(repo, "v1", m1, T, true);
        within(() -> b.catalog().tag(repo, "v1"), Optional.of(m1));
        assertTrue(b.metric("received") > received, "delivered on the new connection");
    }

    @Test
    void whileTheListenerCannotReconnectTheCachesServeNothingOlderThanTheBound() throws Exception {
        Node b = node();
        String database = url.substring(url.lastIndexOf('/') + 1);
        try (Connection admin = admin(); java.sql.Statement s = admin.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false"); // the pools keep theirs
            try {
                assertTrue(terminate("lading-feed-listener-" + b.id()));
                await(b, "connectFailures", 1);
                assertEquals(0, b.metric("connected"));
                for (Digest next : List.of(m2, m1, m2)) {
                    warm(b, "tag", () -> b.catalog().tag(repo, "v1"));
                    raw.setTag(repo, "v1", next, T, true); // no notification can reach b
                    within(() -> b.catalog().tag(repo, "v1"), Optional.of(next));
                }
                assertTrue(b.metric("outOfSyncFlushes") > 0);
            } finally {
                s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
            }
        }
        await(b, "reconnects", 1);
        await(b, "connected", 1);
    }

    @Test
    void aSenderWhoseConnectionDiedSendsEverythingWhenItIsBack() throws Exception {
        Node a = node();
        Node b = node();
        a.catalog().putLink(repo, d("first"), 1, T); // the sender connects
        await(b, "received", 1);
        warm(b, "tag", () -> b.catalog().tag(repo, "v1"));
        assertTrue(terminate("lading-feed-sender-" + a.id()));
        awaitGone("lading-feed-sender-" + a.id()); // so that the next send cannot overtake the termination
        a.catalog().setTag(repo, "v1", m2, T, true);
        within(() -> b.catalog().tag(repo, "v1"), Optional.of(m2));
        await(a, "everythingSent", 1);
        assertTrue(a.metric("sendFailures") >= 1, a.feed().metrics().toString());
        assertEquals(1, a.metric("everythingSent"));
        assertEquals(1, b.metric("everythingReceived"));
    }

    @Test
    void aNodeSkipsItsOwnNotificationsAndAppliesTheOthers() throws Exception {
        Node a = quietNode();
        warm(a, "tag", () -> a.catalog().tag(repo, "v1"));
        raw.setTag(repo, "v1", m2, T, true); // a does not know
        notify(new ChangeFeedCodec(a.id()).encode(new TagChanged(repo, "v1")));
        await(a, "ownSkipped", 1);
        assertEquals(Optional.of(m1), a.catalog().tag(repo, "v1"), "its own notification changes nothing");
        notify(new ChangeFeedCodec("another-node").encode(new TagChanged(repo, "v1")));
        within(() -> a.catalog().tag(repo, "v1"), Optional.of(m2));
        assertEquals(1, a.metric("received"));

        a.catalog().setTag(repo, "v2", m2, T, true);
        await(a, "ownSkipped", 2);
        assertEquals(1, a.metric("received"), "its own writes come back and are skipped");
        assertEquals(0, a.metric("outOfSyncFlushes"));
    }

    @Test
    void anUnreadableNotificationDropsEverything() throws Exception {
        Node b = quietNode();
        warm(b, "tag", () -> b.catalog().tag(repo, "v1"));
        raw.setTag(repo, "v1", m2, T, true);
        notify("{\"node\":\"n\",\"kind\":\"from-a-newer-version\"}");
        within(() -> b.catalog().tag(repo, "v1"), Optional.of(m2));
        assertEquals(1, b.metric("garbled"));
        assertEquals(0, b.metric("outOfSyncFlushes"));
    }

    @Test
    void closingStopsPromptlyAndEndsTheSessions() throws Exception {
        Node a = node();
        a.catalog().putLink(repo, d("first"), 1, T);
        await(a, "ownSkipped", 1);
        assertEquals(1, sessions("lading-feed-listener-" + a.id()));
        assertEquals(1, sessions("lading-feed-sender-" + a.id()));
        long start = System.nanoTime();
        a.feed().close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "closed in " + took.toMillis() + " ms");
        assertEquals(0, a.metric("connected"));
        awaitGone("lading-feed-listener-" + a.id());
        awaitGone("lading-feed-sender-" + a.id());
    }

    private void awaitGone(String applicationName) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (sessions(applicationName) > 0) {
            assertFalse(System.nanoTime() > deadline, applicationName + " is still connected");
            sleep(5);
        }
    }
}
