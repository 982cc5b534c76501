package io.lading.http.e2e;

import io.lading.core.digest.Digest;
import io.lading.core.spi.BlobContent;
import io.lading.core.spi.BlobInfo;
import io.lading.storage.s3.S3BlobStore;
import io.lading.storage.s3.S3Connection;
import io.lading.storage.s3.S3MockServer;
import io.lading.storage.s3.S3Settings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a {@link NodeFleet} keeps its blobs on S3: a key prefix of its own in the bucket of the test class's
 * {@link S3MockServer}, the {@code storage.blobs}/{@code storage.s3.*} flags of a node using it, and a look
 * into it from the test, through the S3 blob store itself ({@link S3BlobStore}, so the keys are the nodes'):
 * which blobs it holds and whether each reads whole. Parts are S3's smallest (5 MiB), so a blob a little
 * larger goes up as a multipart upload. Closing closes the test's own connection; the objects stay (S3Mock's
 * directory goes with the class).
 */
final class FleetBucket implements AutoCloseable {

    /** Bytes per part of the nodes' multipart uploads. */
    static final long PART = S3Settings.MIN_PART_SIZE;

    private final S3Settings settings;
    private final S3Connection connection;
    private final S3BlobStore store;

    /** A fresh prefix of {@code s3}'s bucket: the fleet finds it empty. */
    FleetBucket(S3MockServer s3) {
        this.settings = s3.settings().toBuilder().partSize(PART).build();
        this.connection = S3Connection.open(settings);
        this.store = new S3BlobStore(connection);
    }

    /**
     * The flags of a node keeping its blobs here.
     *
     * @param downloads {@code redirect} (a blob {@code GET} is a {@code 307} to a pre-signed S3 URL) or
     *     {@code proxy} (the node streams it)
     */
    List<String> flags(String downloads) {
        return List.of("--storage.blobs=s3", "--storage.s3.bucket=" + settings.bucket(),
                "--storage.s3.endpoint=" + settings.endpoint(), "--storage.s3.pathStyle=true",
                "--storage.s3.region=" + settings.region(), "--storage.s3.accessKeyId=" + settings.accessKeyId(),
                "--storage.s3.secretAccessKey=" + settings.secretAccessKey(), "--storage.s3.prefix=" + settings.prefix(),
                "--storage.s3.partSize=" + settings.partSize(), "--storage.s3.downloads=" + downloads);
    }

    /** Whether the bucket holds an object for the blob {@code digest}. */
    boolean holds(String digest) {
        return store.stat(Digest.parse(digest)).isPresent();
    }

    /** Every blob object under the prefix, as S3 lists it. */
    List<BlobInfo> objects() {
        List<BlobInfo> all = new ArrayList<>();
        store.forEach(all::add);
        return all;
    }

    /** The digest of what the blob's object holds, read whole from S3. */
    String digestOfObject(BlobInfo blob) throws IOException {
        try (BlobContent content = store.open(blob.digest(), 0, blob.size())) {
            return E2e.digestOf(((BlobContent.Stream) content).stream());
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
