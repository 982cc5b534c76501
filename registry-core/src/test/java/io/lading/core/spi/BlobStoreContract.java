package io.lading.core.spi;

import static io.lading.core.spi.ContractSupport.T0;
import static io.lading.core.spi.ContractSupport.putBlob;
import static io.lading.core.spi.ContractSupport.randomBytes;
import static io.lading.core.spi.ContractSupport.readContent;
import static io.lading.core.spi.ContractSupport.sha256;
import static io.lading.core.spi.ContractSupport.sha256Hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.digest.Digest;
import io.lading.core.digest.DigestAlgorithm;
import io.lading.core.error.RegistryException.BlobUnknown;
import java.io.IOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BlobStore} must show. Blobs are created through the {@link UploadStore}
 * over the same backing storage. A backend's test extends this class; the hooks are called once per
 * test, in the order {@link #newUploadStore()}, then {@link #blobStore()}.
 */
public abstract class BlobStoreContract {

    protected UploadStore uploads;
    protected BlobStore blobs;

    /** A fresh upload store over fresh, empty backing storage. */
    protected abstract UploadStore newUploadStore();

    /** The blob store over the same backing storage as the upload store of the current test. */
    protected abstract BlobStore blobStore();

    @BeforeEach
    void createStores() {
        uploads = newUploadStore();
        blobs = blobStore();
    }

    @Test
    void statOfMissingBlobIsEmpty() {
        assertEquals(Optional.empty(), blobs.stat(sha256(new byte[] {42})));
    }

    @Test
    void statReportsDigestAndSize() {
        byte[] bytes = randomBytes(1, 12_345);

        Digest d = putBlob(uploads, bytes);

        BlobInfo info = blobs.stat(d).orElseThrow();
        assertEquals(d, info.digest());
        assertEquals(12_345, info.size());
    }

    @Test
    void openWholeBlobReturnsExactlyItsBytes() throws IOException {
        byte[] bytes = randomBytes(2, 100_000);
        Digest d = putBlob(uploads, bytes);

        BlobContent content = blobs.open(d, 0, bytes.length);

        assertEquals(bytes.length, content.length());
        assertArrayEquals(bytes, readContent(content, 0));
    }

    @Test
    void openRangeInTheMiddleReturnsExactlyThoseBytes() throws IOException {
        byte[] bytes = randomBytes(3, 100_000);
        Digest d = putBlob(uploads, bytes);

        BlobContent content = blobs.open(d, 1000, 5000);

        assertEquals(5000, content.length());
        assertArrayEquals(Arrays.copyOfRange(bytes, 1000, 6000), readContent(content, 1000));
    }

    @Test
    void openRangeAtTheEndReturnsExactlyTheTail() throws IOException {
        byte[] bytes = randomBytes(4, 100_000);
        Digest d = putBlob(uploads, bytes);

        assertArrayEquals(Arrays.copyOfRange(bytes, 99_999, 100_000),
                readContent(blobs.open(d, 99_999, 1), 99_999));
        assertArrayEquals(Arrays.copyOfRange(bytes, 60_000, 100_000),
                readContent(blobs.open(d, 60_000, 40_000), 60_000));
    }

    @Test
    void openOfMissingBlobThrowsBlobUnknown() {
        Digest missing = sha256(new byte[] {7});

        BlobUnknown e = assertThrows(BlobUnknown.class, () -> blobs.open(missing, 0, 1));

        assertEquals(missing, e.digest());
    }

    @Test
    void sha512BlobsAreStoredToo() throws IOException {
        byte[] bytes = randomBytes(5, 2048);
        Digest d = DigestAlgorithm.SHA512.digest(bytes);
        UploadState s = uploads.create("r", T0);
        uploads.append(s.id(), 0, ContractSupport.stream(bytes));

        uploads.commit(s.id(), d);

        assertEquals(2048, blobs.stat(d).orElseThrow().size());
        assertArrayEquals(bytes, readContent(blobs.open(d, 0, 2048), 0));
        Map<Digest, Long> listed = new HashMap<>();
        blobs.forEach(b -> listed.put(b.digest(), b.size()));
        assertEquals(Map.of(d, 2048L), listed);
    }

    @Test
    void deleteRemovesTheBlobOnce() {
        byte[] bytes = randomBytes(6, 10);
        Digest d = putBlob(uploads, bytes);
        Digest other = putBlob(uploads, randomBytes(7, 10));

        assertTrue(blobs.delete(d));
        assertFalse(blobs.delete(d));

        assertEquals(Optional.empty(), blobs.stat(d));
        assertThrows(BlobUnknown.class, () -> blobs.open(d, 0, 10));
        assertEquals(10, blobs.stat(other).orElseThrow().size());
    }

    @Test
    void deleteOfNeverStoredBlobReturnsFalse() {
        assertFalse(blobs.delete(sha256(new byte[] {9})));
    }

    @Test
    void blobCanBeCommittedAgainAfterDelete() throws IOException {
        byte[] bytes = randomBytes(8, 300);
        Digest d = putBlob(uploads, bytes);
        blobs.delete(d);

        putBlob(uploads, bytes);

        assertArrayEquals(bytes, readContent(blobs.open(d, 0, 300), 0));
    }

    @Test
    void forEachListsEveryBlobWithItsSize() {
        Map<Digest, Long> expected = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            byte[] bytes = randomBytes(100 + i, i * 1000);
            expected.put(putBlob(uploads, bytes), (long) bytes.length);
        }
        blobs.delete(putBlob(uploads, randomBytes(200, 5)));

        Map<Digest, Long> listed = new HashMap<>();
        blobs.forEach(b -> assertEquals(null, listed.put(b.digest(), b.size()), "listed twice: " + b.digest()));

        assertEquals(expected, listed);
    }

    @Test
    void forEachOfEmptyStoreListsNothing() {
        blobs.forEach(b -> {
            throw new AssertionError("unexpected blob " + b);
        });
    }

    @Test
    void twentyMebibyteBlobRoundTrips() throws IOException {
        long size = 20L * 1024 * 1024;
        MessageDigest md = DigestAlgorithm.SHA256.newMessageDigest();
        UploadState s = uploads.create("big", T0);
        long appended;
        try (DigestInputStream in = new DigestInputStream(new ContractSupport.RandomStream(42, size), md)) {
            appended = uploads.append(s.id(), 0, in);
        }
        Digest d = DigestAlgorithm.SHA256.of(md.digest());
        assertEquals(size, appended);

        assertEquals(size, uploads.commit(s.id(), d).size());

        assertEquals(size, blobs.stat(d).orElseThrow().size());
        assertEquals(d.hex(), sha256Hex(blobs.open(d, 0, size), 0));
        long tail = size - 3 * 1024 * 1024 - 7;
        MessageDigest expectedTail = DigestAlgorithm.SHA256.newMessageDigest();
        try (ContractSupport.RandomStream again = new ContractSupport.RandomStream(42, size)) {
            again.skipNBytes(tail);
            expectedTail.update(again.readAllBytes());
        }
        assertEquals(DigestAlgorithm.SHA256.of(expectedTail.digest()).hex(),
                sha256Hex(blobs.open(d, tail, size - tail), tail));
    }
}
