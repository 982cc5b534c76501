package io.lading.storage.s3;

/**
 * An S3 server a test class runs against (S3Mock in this JVM, or MinIO in a container), with a bucket
 * that exists.
 */
public interface S3Endpoint {

    /**
     * Settings for the endpoint's bucket, with explicit keys and path-style addressing, under a key prefix
     * no earlier call returned: each test sees an empty store.
     */
    S3Settings settings();
}
