package io.lading.storage.s3;

import io.lading.storage.local.LocalDiskUploadStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The stores of each test on an {@link S3Endpoint} (register it as an instance {@code @RegisterExtension}
 * field; it runs before the test's {@code @BeforeEach} methods): a connection under a fresh prefix, the
 * blob store on it, and upload sessions in a fresh local directory whose commits go to that blob store.
 */
final class S3Stores implements BeforeEachCallback, AfterEachCallback {

    private final S3Endpoint endpoint;
    private Path root;
    private S3Connection connection;
    private S3BlobStore blobs;

    S3Stores(S3Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("lading-s3-uploads");
        connection = S3Connection.open(endpoint.settings());
        blobs = new S3BlobStore(connection);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            connection.close();
        } finally {
            S3MockServer.deleteTree(root);
        }
    }

    S3BlobStore blobs() {
        return blobs;
    }

    S3Connection connection() {
        return connection;
    }

    /** The local directory of the upload sessions. */
    Path root() {
        return root;
    }

    /** A new upload store over the test's directory committing to {@link #blobs} (as after a restart). */
    LocalDiskUploadStore uploads() {
        return new LocalDiskUploadStore(root, blobs);
    }
}
