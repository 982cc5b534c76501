package io.lading.http.config;

import io.lading.storage.s3.S3Settings;

/**
 * Turns {@code storage.s3.*} into the S3 blob store's {@link S3Settings}. A class of its own so that only
 * {@code storage.blobs: s3} loads it, and with it any class of the S3 package: the configuration records,
 * which Jackson inspects at every start, name none. Stateless.
 */
public final class S3Binding {

    private S3Binding() {
    }

    /**
     * The checked settings of the S3 blob store.
     *
     * @throws IllegalArgumentException naming the {@code storage.s3.*} key of a bad value
     */
    public static S3Settings settings(LadingConfig.S3 s3) {
        return S3Settings.builder(s3.bucket()).prefix(s3.prefix()).region(s3.region()).endpoint(s3.endpoint())
                .pathStyle(s3.pathStyle()).keys(s3.accessKeyId(), s3.secretAccessKey())
                .encryption(s3.sse(), s3.kmsKeyId()).partSize(s3.partSize()).presignExpiry(s3.presignExpiry())
                .redirect(s3.downloads().equals("redirect")).maxAttempts(s3.maxAttempts())
                .maxConnections(s3.maxConnections()).build();
    }
}
