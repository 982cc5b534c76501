package io.lading.storage.s3;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** {@link S3UploadStoreContractBase} on MinIO in a container (skipped without a Docker engine). */
@Testcontainers(disabledWithoutDocker = true)
class MinioUploadStoreContractTest extends S3UploadStoreContractBase {

    @Container
    static final MinioServer S3 = new MinioServer();

    @Override
    protected S3Endpoint endpoint() {
        return S3;
    }
}
