package io.lading.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lading.core.digest.Digest;
import io.lading.core.spi.BlobInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link S3BlobStoreBehaviour} on MinIO in a container (skipped without a Docker engine), and the race of
 * two multipart commits, which S3Mock cannot show: its {@code AbortMultipartUpload} deletes the object
 * already stored under the key (S3 and MinIO keep it), so the loser's abort would remove the winner's blob.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioBlobStoreTest extends S3BlobStoreBehaviour {

    @Container
    static final MinioServer S3 = new MinioServer();

    @Override
    protected S3Endpoint endpoint() {
        return S3;
    }

    @Test
    void twoMultipartCommitsOfOneDigestAtOnceWriteOneObjectAndAbortTheLoser() throws Exception {
        S3BlobStore store = store(s -> s.partSize(PART));
        byte[] bytes = random(2, (int) (PART + 1234));
        Path data = file(bytes);
        Digest d = sha256(bytes);
        raceConditionalWrites("CompleteMultipartUpload");

        List<BlobInfo> results = commitTwiceAtOnce(store, data, bytes.length, d);

        assertEquals(results.get(0), results.get(1));
        assertEquals(1, traffic.responses("CompleteMultipartUpload", 200));
        assertEquals(1, traffic.responses("CompleteMultipartUpload", 412));
        assertEquals(1, traffic.attempts("AbortMultipartUpload"));
        assertEquals(List.of(d), digests(store));
        assertEquals(0, openMultipartUploads(store));
        assertArrayEquals(bytes, read(store.open(d, 0, bytes.length)));
    }

}
