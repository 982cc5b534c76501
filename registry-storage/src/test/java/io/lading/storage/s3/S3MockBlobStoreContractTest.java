package io.lading.storage.s3;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link S3BlobStoreContractBase} on S3Mock in this JVM. */
class S3MockBlobStoreContractTest extends S3BlobStoreContractBase {

    @RegisterExtension
    static final S3MockServer S3 = new S3MockServer();

    @Override
    protected S3Endpoint endpoint() {
        return S3;
    }
}
