package io.lading.http.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.storage.s3.S3Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code storage.blobs} and the nested {@code storage.s3.*} keys: from a file, the environment and flags. */
class S3ConfigurationTest {

    @Test
    void blobsAreLocalByDefault() {
        LadingConfig.Storage storage = load(Map.of()).storage();

        assertEquals("local", storage.blobs());
        assertFalse(storage.s3Blobs());
    }

    @Test
    void nestedKeysComeFromAFileTheEnvironmentAndFlags(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s3.yaml");
        Files.writeString(file, "storage:\n  blobs: s3\n  s3:\n    bucket: from-file\n    region: eu-west-1\n"
                + "    partSize: 8388608\n");

        LadingConfig config = load(Map.of("LADING_STORAGE_S3_PREFIX", "env/prefix", "LADING_STORAGE_S3_BUCKET", "from-env"),
                "--config", file.toString(), "--storage.s3.downloads=proxy", "--storage.s3.bucket=from-flag");

        assertTrue(config.storage().s3Blobs());
        S3Settings s = S3Binding.settings(config.storage().s3());
        assertEquals("from-flag", s.bucket());
        assertEquals("eu-west-1", s.region());
        assertEquals("env/prefix/", s.prefix());
        assertEquals(8L << 20, s.partSize());
        assertFalse(s.redirect());
        assertEquals(Duration.ofMinutes(5), s.presignExpiry());
    }

    @Test
    void badValuesStopStartUpNamingTheKeyAndWhereItCameFrom() {
        assertMessage("invalid configuration key storage.blobs (flag --storage.blobs): must be local or s3, not nfs",
                "--storage.blobs=nfs");
        assertMessage("invalid configuration key storage.s3.partSize (flag --storage.s3.partSize): must be between",
                "--storage.blobs=s3", "--storage.s3.bucket=b", "--storage.s3.partSize=1000");
        assertMessage("invalid configuration key storage.s3.bucket (defaults): must name the bucket", "--storage.blobs=s3");
        assertMessage("invalid configuration key storage.s3.downloads (flag --storage.s3.downloads): must be redirect or"
                + " proxy", "--storage.s3.downloads=sometimes");
        assertMessage("unknown configuration key storage.s3.bucketName", "--storage.s3.bucketName=x");
        assertMessage("unknown configuration key storage.s3", "--storage.s3=x");
    }

    @Test
    void badS3ValuesAreIgnoredWithLocalBlobs() {
        assertEquals("local", load(Map.of(), "--storage.s3.partSize=1000").storage().blobs());
    }

    private static LadingConfig load(Map<String, String> env, String... args) {
        return ConfigLoader.load(args, env).config();
    }

    private static void assertMessage(String start, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(Map.of(), args));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
