package io.lading.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.digest.Digest;
import io.lading.core.digest.DigestAlgorithm;
import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.spi.BlobContent;
import io.lading.core.spi.BlobInfo;
import io.lading.core.spi.UploadState;
import io.lading.storage.local.LocalDiskUploadStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * What the S3 blob store does beyond the blob store contract: conditional writes under a race, multipart
 * uploads, failed and interrupted commits, listing pages, retries, pre-signed URLs, encryption and the
 * key layout. A subclass names the server ({@link #endpoint()}).
 */
abstract class S3BlobStoreBehaviour {

    private static final long MIB = 1024 * 1024;
    protected static final long PART = S3Settings.MIN_PART_SIZE;

    @TempDir
    Path dir;
    private final List<S3Connection> connections = new ArrayList<>();
    protected final S3Traffic traffic = new S3Traffic();
    private final HttpClient http = HttpClient.newHttpClient();

    /** The server of the test class. */
    protected abstract S3Endpoint endpoint();

    @AfterEach
    void closeConnections() {
        connections.forEach(S3Connection::close);
        http.close();
    }

    @Test
    void twoCommitsOfOneDigestAtOnceWriteOneObjectAndBothSucceed() throws Exception {
        S3BlobStore store = store(s -> s);
        byte[] bytes = random(1, 100_000);
        Path data = file(bytes);
        Digest d = sha256(bytes);
        raceConditionalWrites("PutObject");

        List<BlobInfo> results = commitTwiceAtOnce(store, data, bytes.length, d);

        assertEquals(results.get(0), results.get(1));
        assertEquals(1, traffic.responses("PutObject", 200));
        assertEquals(1, traffic.responses("PutObject", 412), "the second write was refused, not an overwrite");
        assertEquals(List.of(d), digests(store));
        assertArrayEquals(bytes, read(store.open(d, 0, bytes.length)));
    }

    @Test
    void aBlobLargerThanOnePartGoesUpInPartsAndReadsBackAcrossTheirBoundaries() throws IOException {
        S3BlobStore store = store(s -> s.partSize(PART));
        byte[] bytes = random(3, (int) (2 * PART + 3));
        Digest d = sha256(bytes);

        BlobInfo stored = store.store(file(bytes), bytes.length, d);

        assertEquals(bytes.length, stored.size());
        assertEquals(3, traffic.attempts("UploadPart"));
        assertEquals(1, traffic.attempts("CompleteMultipartUpload"));
        assertEquals(0, traffic.attempts("PutObject"));
        assertArrayEquals(bytes, read(store.open(d, 0, bytes.length)));
        int from = (int) PART - 10;
        assertArrayEquals(Arrays.copyOfRange(bytes, from, (int) (2 * PART + 1)),
                read(store.open(d, from, 2 * PART + 1 - from)));
        assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 1, bytes.length),
                read(store.open(d, bytes.length - 1, 1)));
    }

    @Test
    void aCommitWhosePartKeepsFailingLeavesNothingVisibleAndTheSessionForARetry() throws IOException {
        S3BlobStore store = store(s -> s.partSize(PART).maxAttempts(2));
        traffic.replaceStatus = r -> r instanceof UploadPartRequest p && p.partNumber() == 2 ? 500 : 0;
        LocalDiskUploadStore uploads = new LocalDiskUploadStore(dir.resolve("uploads"), store);
        byte[] bytes = random(4, (int) (PART + 10));
        Digest d = sha256(bytes);
        UploadState session = uploads.create("r", Instant.now());
        uploads.append(session.id(), 0, new ByteArrayInputStream(bytes));

        assertThrows(StorageFailure.class, () -> uploads.commit(session.id(), d));

        assertEquals(2, traffic.responses("UploadPart", 500), "retried once, then given up");
        assertEquals(Optional.empty(), store.stat(d));
        assertEquals(List.of(), digests(store));
        assertEquals(0, openMultipartUploads(store));
        assertEquals(bytes.length, uploads.get(session.id()).orElseThrow().size());
        traffic.replaceStatus = r -> 0;
        assertEquals(bytes.length, uploads.commit(session.id(), d).size());
        assertArrayEquals(bytes, read(store.open(d, 0, bytes.length)));
    }

    @Test
    void anInterruptedCommitLeavesNothingVisible() throws Exception {
        S3BlobStore store = store(s -> s.partSize(PART));
        traffic.afterRequest = r -> {
            if (r instanceof UploadPartRequest p && p.partNumber() == 1) {
                Thread.currentThread().interrupt(); // as a shutdown interrupting the commit's thread
            }
        };
        byte[] bytes = random(5, (int) (2 * PART + 1));
        Digest d = sha256(bytes);
        Path data = file(bytes);

        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<Boolean> interrupted = pool.submit(() -> {
                assertThrows(StorageFailure.class, () -> store.store(data, bytes.length, d));
                return Thread.interrupted();
            });
            assertTrue(interrupted.get(30, TimeUnit.SECONDS), "the interrupt is kept for the caller");
        }

        traffic.afterRequest = r -> { };
        assertEquals(1, traffic.attempts("AbortMultipartUpload"));
        assertEquals(0, openMultipartUploads(store));
        assertEquals(Optional.empty(), store.stat(d));
    }

    @Test
    void multipartUploadsACrashLeftOpenAreAbortedOnceOlderThanTheCutoffPageByPage() throws IOException {
        S3BlobStore store = new S3BlobStore(connection(endpoint().settings().toBuilder()), 2);
        S3Settings s = connections.getLast().settings();
        S3Keys keys = new S3Keys(s.prefix());
        // three commits cut off after CreateMultipartUpload (as by kill -9), and one multipart upload outside the blob keys
        for (int i = 0; i < 3; i++) {
            String key = keys.blob(sha256(random(40 + i, 10)));
            connections.getLast().client().createMultipartUpload(b -> b.bucket(s.bucket()).key(key));
        }
        connections.getLast().client().createMultipartUpload(b -> b.bucket(s.bucket()).key(s.prefix() + "elsewhere/x"));
        assertEquals(4, openMultipartUploads(store));

        assertEquals(0, store.removeAbandonedWrites(Instant.now().minusSeconds(3600)), "none is that old");
        assertEquals(4, openMultipartUploads(store));
        assertEquals(3, store.removeAbandonedWrites(Instant.now().plusSeconds(60)));
        assertEquals(1, openMultipartUploads(store), "what is not under the blob keys is not Lading's to abort");
        assertEquals(0, store.removeAbandonedWrites(Instant.now().plusSeconds(60)));
    }

    @Test
    void listingPagesThroughEveryBlobAndSkipsOtherKeys() throws IOException {
        S3BlobStore store = new S3BlobStore(connection(endpoint().settings().toBuilder()), 2);
        Set<Digest> expected = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            byte[] bytes = random(10 + i, 100 + i);
            expected.add(store.store(file(bytes), bytes.length, sha256(bytes)).digest());
        }
        S3Settings settings = connections.getLast().settings();
        for (String stray : List.of("blobs/sha256/zz/not-a-digest", "blobs/readme", "other/x")) {
            connections.getLast().client().putObject(b -> b.bucket(settings.bucket()).key(settings.prefix() + stray),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
        }
        int before = traffic.attempts("ListObjectsV2");

        List<Digest> listed = new ArrayList<>();
        store.forEachDigest(listed::add);
        List<Long> sizes = new ArrayList<>();
        store.forEach(b -> sizes.add(b.size()));

        assertEquals(expected, new HashSet<>(listed));
        assertEquals(5, listed.size(), "each blob once");
        assertEquals(Set.of(100L, 101L, 102L, 103L, 104L), new HashSet<>(sizes));
        assertTrue(traffic.attempts("ListObjectsV2") - before >= 2 * 3, "pages of two keys");
    }

    @Test
    void throttledRequestsAreRetriedUntilTheyPass() throws IOException {
        S3BlobStore store = store(s -> s);
        byte[] bytes = random(20, 10);
        Digest d = store.store(file(bytes), bytes.length, sha256(bytes)).digest();
        int[] failures = {2};
        traffic.replaceStatus = r -> TrafficOps.is(r, "HeadObject") && failures[0]-- > 0 ? 503 : 0;
        int before = traffic.attempts("HeadObject");

        assertEquals(10, store.stat(d).orElseThrow().size());

        assertEquals(3, traffic.attempts("HeadObject") - before);
        assertEquals(2, traffic.responses("HeadObject", 503));
    }

    @Test
    void aRequestThatStillFailsAfterItsAttemptsIsAStorageFailure() throws IOException {
        S3BlobStore store = store(s -> s.maxAttempts(3));
        traffic.replaceStatus = r -> TrafficOps.is(r, "GetObject") ? 503 : 0;
        byte[] bytes = random(21, 10);
        Digest d = store.store(file(bytes), bytes.length, sha256(bytes)).digest();

        StorageFailure e = assertThrows(StorageFailure.class, () -> store.open(d, 0, 10));

        assertEquals(3, traffic.attempts("GetObject"));
        assertTrue(e.getMessage().contains("GetObject"), e.getMessage());
    }

    @Test
    void aWriteWhoseResponseWasLostIsRetriedAndFindsItsObject() throws IOException {
        S3BlobStore store = store(s -> s);
        int[] lost = {1};
        traffic.replaceStatus = r -> TrafficOps.is(r, "PutObject") && lost[0]-- > 0 ? 500 : 0;
        byte[] bytes = random(22, 5000);
        Digest d = sha256(bytes);

        assertEquals(5000, store.store(file(bytes), bytes.length, d).size());

        assertEquals(2, traffic.attempts("PutObject"));
        assertEquals(1, traffic.responses("PutObject", 412), "the retry met the object the lost attempt wrote");
        assertArrayEquals(bytes, read(store.open(d, 0, bytes.length)));
    }

    @Test
    void aPresignedUrlDownloadsTheBlobWithAPlainGetAndRanges() throws Exception {
        S3BlobStore store = store(s -> s.presignExpiry(java.time.Duration.ofMinutes(2)));
        byte[] bytes = random(30, 70_000);
        Digest d = store.store(file(bytes), bytes.length, sha256(bytes)).digest();

        URI url = store.downloadUrl(d).orElseThrow();

        assertTrue(url.getRawQuery().contains("X-Amz-Signature="), url.toString());
        HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, whole.statusCode());
        assertArrayEquals(bytes, whole.body());
        HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(url).header("Range", "bytes=1000-1999").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOfRange(bytes, 1000, 2000), part.body());
    }

    @Test
    void aProxyingStoreHasNoDownloadUrl() {
        S3BlobStore store = store(s -> s.redirect(false));

        assertEquals(Optional.empty(), store.downloadUrl(sha256(new byte[] {1})));
    }

    @Test
    void blobsAreKeptUnderThePrefixAsAlgorithmFanOutAndHex() throws IOException {
        S3BlobStore store = store(s -> s);
        byte[] bytes = random(50, 10);
        Digest d = store.store(file(bytes), bytes.length, sha256(bytes)).digest();
        S3Settings s = connections.getLast().settings();

        List<String> keys = connections.getLast().client().listObjectsV2(b -> b.bucket(s.bucket()).prefix(s.prefix()))
                .contents().stream().map(o -> o.key()).toList();

        assertEquals(List.of(s.prefix() + "blobs/sha256/" + d.hex().substring(0, 2) + "/" + d.hex()), keys);
    }

    /**
     * Makes both racing writes see no object, then lets them reach S3 one after the other: the
     * conditional write of {@code operation} decides, not the store's look-up.
     */
    protected void raceConditionalWrites(String operation) {
        CyclicBarrier bothLookedUp = new CyclicBarrier(2);
        Semaphore oneAtATime = new Semaphore(1);
        traffic.beforeRequest = r -> {
            if (TrafficOps.is(r, operation)) {
                bothLookedUp.await(30, TimeUnit.SECONDS);
            }
        };
        traffic.beforeAttempt = r -> {
            if (TrafficOps.is(r, operation)) {
                oneAtATime.acquire();
            }
        };
        traffic.afterRequest = r -> {
            if (TrafficOps.is(r, operation)) {
                oneAtATime.release();
            }
        };
    }

    protected static List<BlobInfo> commitTwiceAtOnce(S3BlobStore store, Path data, long size, Digest d)
            throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<BlobInfo> a = pool.submit(() -> store.store(data, size, d));
            Future<BlobInfo> b = pool.submit(() -> store.store(data, size, d));
            return List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
        }
    }

    protected S3BlobStore store(UnaryOperator<S3Settings.Builder> settings) {
        return new S3BlobStore(connection(settings.apply(endpoint().settings().toBuilder())));
    }

    private S3Connection connection(S3Settings.Builder settings) {
        S3Connection c = S3Connection.open(settings.build(), traffic);
        connections.add(c);
        return c;
    }

    protected int openMultipartUploads(S3BlobStore store) {
        S3Settings s = connections.getLast().settings();
        return connections.getLast().client().listMultipartUploads(b -> b.bucket(s.bucket()).prefix(s.prefix()))
                .uploads().size();
    }

    protected static List<Digest> digests(S3BlobStore store) {
        List<Digest> out = new ArrayList<>();
        store.forEachDigest(out::add);
        return out;
    }

    protected Path file(byte[] bytes) throws IOException {
        Path f = Files.createTempFile(dir, "blob", ".data");
        Files.write(f, bytes);
        return f;
    }

    protected static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static Digest sha256(byte[] bytes) {
        return DigestAlgorithm.SHA256.digest(bytes);
    }

    protected static byte[] read(BlobContent content) throws IOException {
        try (content) {
            BlobContent.Stream s = (BlobContent.Stream) content;
            try (InputStream in = s.stream()) {
                byte[] all = in.readAllBytes();
                assertEquals(s.length(), all.length);
                return all;
            }
        }
    }

    /** Matching requests by operation name. */
    static final class TrafficOps {
        static boolean is(software.amazon.awssdk.core.SdkRequest r, String operation) {
            return S3Traffic.operation(r).equals(operation);
        }
    }
}
