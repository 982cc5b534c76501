package io.lading.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class S3SettingsTest {

    @Test
    void defaultsAreThoseOfTheConfiguration() {
        S3Settings s = S3Settings.builder("b").build();

        assertEquals("us-east-1", s.region());
        assertEquals("", s.endpoint());
        assertFalse(s.pathStyle());
        assertEquals(16L << 20, s.partSize());
        assertEquals(Duration.ofMinutes(5), s.presignExpiry());
        assertTrue(s.redirect());
        assertEquals("", s.accessKeyId(), "the default credential chain");
    }

    @Test
    void thePrefixEndsInOneSlashAndHasNoLeadingOne() {
        assertEquals("a/b/", S3Settings.builder("b").prefix("/a/b").build().prefix());
        assertEquals("a/", S3Settings.builder("b").prefix("a/").build().prefix());
        assertEquals("", S3Settings.builder("b").prefix(" ").build().prefix());
    }

    @Test
    void badValuesNameTheirKey() {
        assertRefused("storage.s3.bucket", b -> S3Settings.builder(""));
        assertRefused("storage.s3.partSize", b -> b.partSize(S3Settings.MIN_PART_SIZE - 1));
        assertRefused("storage.s3.partSize", b -> b.partSize(S3Settings.MAX_PART_SIZE + 1));
        assertRefused("storage.s3.sse", b -> b.encryption("aes", ""));
        assertRefused("storage.s3.kmsKeyId", b -> b.encryption("AES256", "key"));
        assertRefused("storage.s3.accessKeyId", b -> b.keys("id", ""));
        assertRefused("storage.s3.endpoint", b -> b.endpoint("minio:9000"));
        assertRefused("storage.s3.presignExpiry", b -> b.presignExpiry(Duration.ofDays(8)));
        assertRefused("storage.s3.maxAttempts", b -> b.maxAttempts(0));
        assertRefused("storage.s3.region", b -> b.region(""));
    }

    @Test
    void theSecretIsNotPrinted() {
        String text = S3Settings.builder("b").keys("AKIDEXAMPLE", "very-secret").build().toString();

        assertTrue(text.contains("AKIDEXAMPLE"), text);
        assertFalse(text.contains("very-secret"), text);
    }

    private static void assertRefused(String key, UnaryOperator<S3Settings.Builder> change) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(S3Settings.builder("bucket")).build());
        assertTrue(e.getMessage().startsWith(key), e.getMessage());
    }
}
