package io.lading.storage.s3;

import io.lading.core.spi.BlobStore;
import io.lading.core.spi.UploadStore;
import io.lading.core.spi.UploadStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The upload store contract with commits to an S3 server a subclass names ({@link #endpoint()}, a static
 * field of it).
 */
abstract class S3UploadStoreContractBase extends UploadStoreContract {

    @RegisterExtension
    final S3Stores stores = new S3Stores(endpoint());

    /** The server of the test class. */
    protected abstract S3Endpoint endpoint();

    @Override
    protected UploadStore newUploadStore() {
        return stores.uploads();
    }

    @Override
    protected BlobStore blobStore() {
        return stores.blobs();
    }

    @Override
    protected UploadStore reopenUploadStore() {
        return stores.uploads();
    }
}
