package io.lading.storage.s3;

import io.lading.core.spi.BlobStore;
import io.lading.core.spi.BlobStoreContract;
import io.lading.core.spi.UploadStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The blob store contract on an S3 server a subclass names ({@link #endpoint()}, a static field of it). */
abstract class S3BlobStoreContractBase extends BlobStoreContract {

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
}
