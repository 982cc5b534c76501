package io.lading.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link S3BlobStoreBehaviour} on S3Mock in this JVM, and what only S3Mock can show here: encryption
 * settings sent with every write (MinIO refuses SSE without a KMS).
 */
class S3MockBlobStoreTest extends S3BlobStoreBehaviour {

    @RegisterExtension
    static final S3MockServer S3 = new S3MockServer();

    @Override
    protected S3Endpoint endpoint() {
        return S3;
    }

    @Test
    void withoutKeysTheCredentialsComeFromTheSdksDefaultChain() throws IOException {
        // the chain's first source, JVM system properties, stands for the environment, a profile or a role
        System.setProperty("aws.accessKeyId", "from-the-chain");
        System.setProperty("aws.secretAccessKey", "chain-secret");
        try {
            S3BlobStore store = store(s -> s.keys("", ""));
            byte[] bytes = random(42, 100);

            store.store(file(bytes), bytes.length, sha256(bytes));

            assertEquals(List.of("from-the-chain"), traffic.signedBy("PutObject"));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void writesAskForTheConfiguredEncryption() throws IOException {
        String key = "lading-test-key"; // S3Mock checks key ids (S3 takes an id, an alias or an ARN)
        S3.registerKmsKey("arn:aws:kms:us-east-1:000000000000:key/" + key);
        S3BlobStore store = store(s -> s.encryption("aws:kms", key).partSize(PART));
        byte[] small = random(40, 100);
        byte[] large = random(41, (int) PART + 1);

        store.store(file(small), small.length, sha256(small));
        store.store(file(large), large.length, sha256(large));

        String kms = "aws:kms " + key;
        assertEquals(List.of(kms), traffic.encryption("PutObject"));
        assertEquals(List.of(kms), traffic.encryption("CreateMultipartUpload"));
    }
}
