package io.lading.core.spi;

import static io.lading.core.spi.ContractSupport.T0;
import static io.lading.core.spi.ContractSupport.randomBytes;
import static io.lading.core.spi.ContractSupport.readAll;
import static io.lading.core.spi.ContractSupport.readContent;
import static io.lading.core.spi.ContractSupport.sha256;
import static io.lading.core.spi.ContractSupport.stream;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.RangeInvalid;
import io.lading.core.error.RegistryException.UploadUnknown;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link UploadStore} must show, together with the {@link BlobStore} its commits
 * feed. A backend's test extends this class; the hooks are called once per test, in the order
 * {@link #newUploadStore()}, then {@link #blobStore()}.
 */
public abstract class UploadStoreContract {

    private static final Pattern LOWER_CASE_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    protected UploadStore uploads;
    protected BlobStore blobs;

    /** A fresh upload store over fresh, empty backing storage. */
    protected abstract UploadStore newUploadStore();

    /** The blob store over the same backing storage as the upload store of the current test. */
    protected abstract BlobStore blobStore();

    /** A new upload store instance over the current test's backing storage (as after a restart). */
    protected abstract UploadStore reopenUploadStore();

    @BeforeEach
    void createStores() {
        uploads = newUploadStore();
        blobs = blobStore();
    }

    @Test
    void createStartsAnEmptySessionWithLowerCaseUuid() {
        UploadState s = uploads.create("library/nginx", T0);

        assertTrue(LOWER_CASE_UUID.matcher(s.id()).matches(), s.id());
        assertEquals(new UploadState(s.id(), "library/nginx", T0, 0), s);
        assertEquals(Optional.of(s), uploads.get(s.id()));
    }

    @Test
    void aSavedHashStateIsReportedWithTheSessionReplacedByTheNextAndGoneWithIt() throws Exception {
        UploadState s = uploads.create("library/app", T0);
        assertEquals(null, s.hashState());
        uploads.append(s.id(), 0, stream(randomBytes(1, 100)));
        byte[] first = {1, 2, 3};
        uploads.saveHashState(s.id(), first);
        assertArrayEquals(first, uploads.get(s.id()).orElseThrow().hashState());
        assertArrayEquals(first, reopenUploadStore().get(s.id()).orElseThrow().hashState(), "kept across a restart");
        byte[] second = {4, 5, 6, 7};
        uploads.saveHashState(s.id(), second);
        assertArrayEquals(second, uploads.get(s.id()).orElseThrow().hashState());
        uploads.cancel(s.id());
        uploads.saveHashState(s.id(), first); // a late save after a cancel is not an error, and brings nothing back
        assertEquals(Optional.empty(), uploads.get(s.id()));
        List<UploadState> listed = new ArrayList<>();
        uploads.forEach(listed::add);
        assertEquals(List.of(), listed);
        uploads.saveHashState("not-a-uuid", first);
        uploads.saveHashState(UUID.randomUUID().toString(), first);
        assertEquals(Optional.empty(), uploads.get("not-a-uuid"));
    }

    @Test
    void createGivesDistinctIds() {
        UploadState a = uploads.create("r", T0);
        UploadState b = uploads.create("r", T0);

        assertNotEquals(a.id(), b.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc", "not-a-uuid", "", "0F8FAD5B-D9CB-469F-A165-70867728950E",
        "0f8fad5b-d9cb-469f-a165-70867728950e/../x", "0f8fad5b-d9cb-469f-a165-70867728950e"})
    void unknownOrMalformedIdIsAbsentAndRejected(String id) {
        assertEquals(Optional.empty(), uploads.get(id));
        assertThrows(UploadUnknown.class, () -> uploads.append(id, 0, stream(new byte[] {1})));
        assertThrows(UploadUnknown.class, () -> readAll(uploads.read(id)));
        assertThrows(UploadUnknown.class, () -> uploads.commit(id, sha256(new byte[] {1})));
        uploads.cancel(id); // not an error
    }

    @Test
    void appendsAccumulateAtTheRightOffsets() throws IOException {
        UploadState s = uploads.create("r", T0);
        byte[] first = randomBytes(1, 1000);
        byte[] second = randomBytes(2, 300_000);

        assertEquals(1000, uploads.append(s.id(), 0, stream(first)));
        assertEquals(300_000, uploads.append(s.id(), 1000, stream(second)));
        assertEquals(0, uploads.append(s.id(), 301_000, stream(new byte[0])));

        assertEquals(301_000, uploads.get(s.id()).orElseThrow().size());
        assertArrayEquals(concat(first, second), readAll(uploads.read(s.id())));
    }

    @Test
    void appendAtWrongOffsetThrowsRangeInvalidWithCurrentSizeAndChangesNothing() throws IOException {
        UploadState s = uploads.create("r", T0);
        byte[] first = randomBytes(3, 100);
        uploads.append(s.id(), 0, stream(first));

        for (long wrong : new long[] {0, 99, 101, 5000}) {
            RangeInvalid e = assertThrows(RangeInvalid.class,
                    () -> uploads.append(s.id(), wrong, stream(randomBytes(4, 10))));
            assertEquals(100, e.currentSize(), "offset " + wrong);
        }

        assertEquals(100, uploads.get(s.id()).orElseThrow().size());
        assertArrayEquals(first, readAll(uploads.read(s.id())));
    }

    @Test
    void failedStreamLeavesSessionAtPreviousSizeAndRethrows() throws IOException {
        UploadState s = uploads.create("r", T0);
        byte[] first = randomBytes(5, 1234);
        uploads.append(s.id(), 0, stream(first));

        RuntimeException e = assertThrows(RuntimeException.class,
                () -> uploads.append(s.id(), 1234, new ContractSupport.FailingStream(randomBytes(6, 700_000))));

        assertTrue(hasCause(e, ContractSupport.FailingStream.MESSAGE), "stream failure is rethrown: " + e);
        assertEquals(1234, uploads.get(s.id()).orElseThrow().size());
        assertArrayEquals(first, readAll(uploads.read(s.id())));
        byte[] retry = randomBytes(7, 10);
        assertEquals(10, uploads.append(s.id(), 1234, stream(retry)));
        assertArrayEquals(concat(first, retry), readAll(uploads.read(s.id())));
    }

    @Test
    void readOfEmptySessionIsEmpty() throws IOException {
        UploadState s = uploads.create("r", T0);

        assertArrayEquals(new byte[0], readAll(uploads.read(s.id())));
    }

    @Test
    void commitMakesTheBlobAndRemovesTheSession() throws IOException {
        UploadState s = uploads.create("r", T0);
        byte[] bytes = randomBytes(8, 70_000);
        uploads.append(s.id(), 0, stream(bytes));
        Digest d = sha256(bytes);

        BlobInfo info = uploads.commit(s.id(), d);

        assertEquals(d, info.digest());
        assertEquals(bytes.length, info.size());
        BlobInfo stat = blobs.stat(d).orElseThrow();
        assertEquals(d, stat.digest());
        assertEquals(bytes.length, stat.size());
        assertArrayEquals(bytes, readContent(blobs.open(d, 0, bytes.length), 0));
        assertEquals(Optional.empty(), uploads.get(s.id()));
        assertEquals(List.of(), sessionIds());
        assertThrows(UploadUnknown.class, () -> uploads.append(s.id(), bytes.length, stream(new byte[1])));
    }

    @Test
    void commitOfEmptySessionMakesEmptyBlob() throws IOException {
        UploadState s = uploads.create("r", T0);
        Digest d = sha256(new byte[0]);

        assertEquals(0, uploads.commit(s.id(), d).size());

        assertEquals(0, blobs.stat(d).orElseThrow().size());
        assertArrayEquals(new byte[0], readContent(blobs.open(d, 0, 0), 0));
    }

    @Test
    void commitOfExistingDigestKeepsOneBlobAndRemovesTheSession() throws IOException {
        byte[] bytes = randomBytes(9, 5000);
        Digest d = sha256(bytes);
        UploadState first = uploads.create("r", T0);
        uploads.append(first.id(), 0, stream(bytes));
        BlobInfo committed = uploads.commit(first.id(), d);
        UploadState second = uploads.create("other", T0);
        uploads.append(second.id(), 0, stream(bytes));

        BlobInfo again = uploads.commit(second.id(), d);

        assertEquals(committed, again, "the existing blob is kept and reported");
        assertEquals(committed, blobs.stat(d).orElseThrow());
        List<BlobInfo> all = new ArrayList<>();
        blobs.forEach(all::add);
        assertEquals(List.of(committed), all);
        assertEquals(Optional.empty(), uploads.get(second.id()));
        assertArrayEquals(bytes, readContent(blobs.open(d, 0, bytes.length), 0));
    }

    @Test
    void cancelRemovesTheSessionAndLeavesNoBlob() {
        UploadState s = uploads.create("r", T0);
        byte[] bytes = randomBytes(10, 100);
        uploads.append(s.id(), 0, stream(bytes));

        uploads.cancel(s.id());

        assertEquals(Optional.empty(), uploads.get(s.id()));
        assertEquals(List.of(), sessionIds());
        assertEquals(Optional.empty(), blobs.stat(sha256(bytes)));
        assertThrows(UploadUnknown.class, () -> uploads.append(s.id(), 100, stream(new byte[1])));
        uploads.cancel(s.id()); // again: not an error
    }

    @Test
    void forEachListsEverySessionWithItsState() {
        Map<String, UploadState> expected = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            UploadState s = uploads.create("repo" + i, T0.plusSeconds(i));
            uploads.append(s.id(), 0, stream(new byte[i * 10]));
            expected.put(s.id(), new UploadState(s.id(), "repo" + i, T0.plusSeconds(i), i * 10));
        }
        UploadState cancelled = uploads.create("gone", T0);
        uploads.cancel(cancelled.id());

        Map<String, UploadState> seen = new HashMap<>();
        uploads.forEach(s -> assertEquals(null, seen.put(s.id(), s), "listed twice: " + s.id()));

        assertEquals(expected, seen);
    }

    @Test
    void sessionSurvivesReopeningTheStore() throws IOException {
        UploadState s = uploads.create("library/app", T0);
        byte[] first = randomBytes(11, 4096);
        uploads.append(s.id(), 0, stream(first));

        UploadStore reopened = reopenUploadStore();

        assertEquals(Optional.of(new UploadState(s.id(), "library/app", T0, 4096)), reopened.get(s.id()));
        assertArrayEquals(first, readAll(reopened.read(s.id())));
        byte[] second = randomBytes(12, 10);
        reopened.append(s.id(), 4096, stream(second));
        byte[] all = concat(first, second);
        assertEquals(all.length, reopened.commit(s.id(), sha256(all)).size());
        assertArrayEquals(all, readContent(blobs.open(sha256(all), 0, all.length), 0));
    }

    @Test
    void sessionsAreIndependent() throws IOException {
        UploadState a = uploads.create("r", T0);
        UploadState b = uploads.create("r", T0);
        byte[] bytesA = randomBytes(13, 10);
        byte[] bytesB = randomBytes(14, 20);

        uploads.append(a.id(), 0, stream(bytesA));
        uploads.append(b.id(), 0, stream(bytesB));
        uploads.cancel(a.id());

        assertEquals(Optional.empty(), uploads.get(a.id()));
        assertArrayEquals(bytesB, readAll(uploads.read(b.id())));
        assertEquals(UUID.fromString(b.id()).toString(), b.id());
    }

    /**
     * A chunk whose client sends {@code first}, then stalls until {@link #finish()} ends the body (or
     * {@link #abort()} fails it). {@link #awaitStalled()} returns once {@code first} was handed over and
     * the store asked for more, so it has written {@code first}.
     */
    static final class StallingChunk extends java.io.InputStream {
        private final byte[] first;
        private final java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CompletableFuture<Boolean> end = new java.util.concurrent.CompletableFuture<>();
        private boolean sent;

        StallingChunk(byte[] first) {
            this.first = first;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!sent) {
                sent = true;
                System.arraycopy(first, 0, b, off, first.length);
                return first.length;
            }
            stalled.countDown();
            try {
                if (!end.get()) {
                    throw new IOException(ContractSupport.FailingStream.MESSAGE);
                }
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new IOException(e);
            }
            return -1;
        }

        void awaitStalled() throws InterruptedException {
            assertTrue(stalled.await(30, java.util.concurrent.TimeUnit.SECONDS), "the store never read the chunk");
        }

        void finish() {
            end.complete(true);
        }

        void abort() {
            end.complete(false);
        }
    }

    /** Runs {@code append} of {@code chunk} on another thread and waits until the chunk stalls. */
    private java.util.concurrent.Future<Long> startStalledAppend(String id, long offset, StallingChunk chunk)
            throws InterruptedException {
        java.util.concurrent.Future<Long> running = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()
                .submit(() -> uploads.append(id, offset, chunk));
        chunk.awaitStalled();
        return running;
    }

    @Test
    void anAppendWaitingForItsClientDelaysNoOtherSession() throws Exception {
        UploadState slow = uploads.create("r", T0);
        StallingChunk stalled = new StallingChunk(randomBytes(20, 7));
        java.util.concurrent.Future<Long> running = startStalledAppend(slow.id(), 0, stalled);
        try {
            // more sessions than any lock-striping would spread over: none may share the stalled one's fate
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 600; i++) {
                    UploadState other = uploads.create("r", T0);
                    uploads.append(other.id(), 0, stream(randomBytes(i, 3)));
                    uploads.commit(other.id(), sha256(randomBytes(i, 3)));
                    uploads.cancel(uploads.create("r", T0).id());
                }
            }, "an append stalled by its client held up other sessions");
        } finally {
            stalled.finish();
        }
        assertEquals(7L, running.get());
        assertEquals(7, uploads.get(slow.id()).orElseThrow().size());
    }

    @Test
    void whileAnAppendRunsItsBytesDoNotCountAndTheSessionCannotBeWrittenOrCommitted() throws Exception {
        UploadState s = uploads.create("r", T0);
        byte[] before = randomBytes(21, 10);
        uploads.append(s.id(), 0, stream(before));
        StallingChunk stalled = new StallingChunk(randomBytes(22, 5));
        java.util.concurrent.Future<Long> running = startStalledAppend(s.id(), 10, stalled);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            assertEquals(10, uploads.get(s.id()).orElseThrow().size(), "bytes of a running append counted");
            RangeInvalid second = assertThrows(RangeInvalid.class,
                    () -> uploads.append(s.id(), 10, stream(randomBytes(23, 4))));
            assertEquals(10, second.currentSize());
            assertThrows(RangeInvalid.class, () -> uploads.commit(s.id(), sha256(before)));
        });
        stalled.abort();
        assertThrows(java.util.concurrent.ExecutionException.class, running::get);
        assertEquals(10, uploads.get(s.id()).orElseThrow().size());
        assertArrayEquals(before, readAll(uploads.read(s.id())));
        assertEquals(Optional.empty(), blobs.stat(sha256(before)), "the refused commit made no blob");

        uploads.append(s.id(), 10, stream(randomBytes(23, 4)));
        assertEquals(14, uploads.get(s.id()).orElseThrow().size());
    }

    private List<String> sessionIds() {
        List<String> ids = new ArrayList<>();
        uploads.forEach(s -> ids.add(s.id()));
        return ids;
    }

    private static boolean hasCause(Throwable t, String message) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (message.equals(c.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
