package io.lading.storage.s3;

import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * MinIO in a container (Testcontainers), for the twins of the S3Mock suites: a test class holds one as a
 * static {@code @Container} field under {@code @Testcontainers(disabledWithoutDocker = true)}, so without
 * a Docker engine the class is reported as skipped. The bucket is created on first use.
 */
final class MinioServer extends MinIOContainer implements S3Endpoint {

    /**
     * A release with conditional writes ({@code If-None-Match: *}); {@code -Dlading.test.minio.image=...}
     * names another (for example a mirror's copy of it).
     */
    static final String IMAGE = System.getProperty("lading.test.minio.image", "minio/minio:RELEASE.2025-02-28T09-55-16Z");
    private final AtomicInteger prefixes = new AtomicInteger();
    private volatile boolean bucketMade;

    MinioServer() {
        super(DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("minio/minio"));
    }

    @Override
    public S3Settings settings() {
        S3Settings settings = S3Settings.of(S3MockServer.BUCKET, getS3URL(), getUserName(), getPassword());
        makeBucket(settings);
        return settings.withPrefix("t" + prefixes.incrementAndGet());
    }

    private synchronized void makeBucket(S3Settings settings) {
        if (!bucketMade) {
            try (S3Connection c = S3Connection.open(settings)) {
                c.client().createBucket(b -> b.bucket(settings.bucket()));
            }
            bucketMade = true;
        }
    }
}
