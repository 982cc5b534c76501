package io.lading.http.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.LadingProcess;
import io.lading.storage.s3.S3MockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the default {@code storage.blobs: local}, a node that pushed and pulled a blob has loaded no class
 * of the AWS SDK and none of the S3 blob store (start-up time and memory of the default do not change);
 * with {@code s3} it has (the check can fail). Each node is a child JVM logging its class loading.
 */
class S3ClassesLoadOnlyWithS3BlobsTest {

    @RegisterExtension
    static final S3MockServer S3 = new S3MockServer();

    @TempDir
    Path dir;

    @Test
    void aNodeWithLocalBlobsLoadsNoS3Class() throws Exception {
        String loaded = classesLoadedPushingAndPulling("local");

        assertTrue(loaded.contains("io.lading.http.Lading "), "the log lists loaded classes");
        assertEquals(List.of(), s3Classes(loaded));
    }

    @Test
    void aNodeWithS3BlobsLoadsThem() throws Exception {
        String loaded = classesLoadedPushingAndPulling("s3", "--storage.s3.bucket=" + S3MockServer.BUCKET,
                "--storage.s3.endpoint=" + S3.url(), "--storage.s3.pathStyle=true", "--storage.s3.accessKeyId=k",
                "--storage.s3.secretAccessKey=s", "--storage.s3.prefix=classes");

        assertTrue(s3Classes(loaded).contains("io.lading.storage.s3.S3BlobStore"), String.join("\n", s3Classes(loaded)));
        assertTrue(s3Classes(loaded).stream().anyMatch(c -> c.startsWith("software.amazon.awssdk.services.s3.")));
    }

    private String classesLoadedPushingAndPulling(String blobs, String... flags) throws Exception {
        String[] all = new String[flags.length + 1];
        all[0] = "--storage.blobs=" + blobs;
        System.arraycopy(flags, 0, all, 1, flags.length);
        try (LadingProcess node = LadingProcess.start(blobs, dir.resolve("root-" + blobs), dir,
                List.of("-Xlog:class+load=info"), all)) {
            OciTestClient client = new OciTestClient(node.baseUri());
            byte[] bytes = OciTestClient.randomBytes(1000);
            String digest = client.pushBlob("classes/repo", bytes);
            var pulled = client.get("/v2/classes/repo/blobs/" + digest);
            if (blobs.equals("local")) {
                assertArrayEquals(bytes, pulled.body());
            } else {
                assertEquals(307, pulled.statusCode());
            }
        }
        return Files.readString(dir.resolve(blobs + ".log"));
    }

    /** The names of loaded classes of the AWS SDK and of Lading's S3 package, from {@code -Xlog:class+load}. */
    private static List<String> s3Classes(String log) {
        return log.lines().filter(l -> l.contains("[class,load]"))
                .map(l -> l.substring(l.indexOf("[class,load]") + "[class,load]".length()).strip())
                .map(l -> l.contains(" ") ? l.substring(0, l.indexOf(' ')) : l)
                .filter(c -> c.startsWith("software.amazon.awssdk.") || c.startsWith("io.lading.storage.s3."))
                .toList();
    }
}
