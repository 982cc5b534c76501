package io.lading.storage.s3;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link S3UploadStoreContractBase} on S3Mock in this JVM. */
class S3MockUploadStoreContractTest extends S3UploadStoreContractBase {

    @RegisterExtension
    static final S3MockServer S3 = new S3MockServer();

    @Override
    protected S3Endpoint endpoint() {
        return S3;
    }
}
