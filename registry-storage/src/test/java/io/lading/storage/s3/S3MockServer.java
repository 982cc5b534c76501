package io.lading.storage.s3;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Adobe S3Mock running in this JVM on a free loopback port (plain HTTP), started once per test class (register it as
 * a static {@code @RegisterExtension} field). S3Mock enforces conditional writes ({@code If-None-Match:
 * *} on {@code PutObject} and {@code CompleteMultipartUpload}), which the S3 blob store relies on.
 * Objects live in a temporary directory removed when the class is done.
 */
public final class S3MockServer implements S3Endpoint, BeforeAllCallback, AfterAllCallback {

    public static final String BUCKET = "lading-test";
    private final AtomicInteger prefixes = new AtomicInteger();
    private S3MockApplication app;
    private Path dir;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        // S3Mock is a Spring Boot application: keep Spring from reconfiguring the test JVM's logging
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        dir = Files.createTempDirectory("s3mock");
        // start() removes entries from the map it is given. The main connector (server.port, which honours
        // server.address) serves plain HTTP on loopback; S3Mock's extra HTTP connector, which binds every
        // interface, is stopped once started (loopbackOnly)
        app = S3MockApplication.start(new HashMap<>(Map.of(
                S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                "server.address", "127.0.0.1",
                "server.ssl.enabled", false,
                S3MockApplication.PROP_INITIAL_BUCKETS, BUCKET,
                S3MockApplication.PROP_ROOT_DIRECTORY, dir.toString(),
                S3MockApplication.PROP_SILENT, true,
                "spring.main.banner-mode", "off")));
        loopbackOnly();
    }

    /** Stops S3Mock's extra HTTP connector (it has no address setting, so it listens on every interface). */
    private void loopbackOnly() {
        try {
            Field config = S3MockApplication.class.getDeclaredField("config");
            config.setAccessible(true);
            Object configuration = config.get(app);
            // the bean is a Spring subclass of S3MockConfiguration: look the method up on the class itself
            Method connector = com.adobe.testing.s3mock.S3MockConfiguration.class.getDeclaredMethod("getHttpConnector");
            connector.setAccessible(true);
            org.apache.catalina.connector.Connector http = (org.apache.catalina.connector.Connector) connector.invoke(configuration);
            http.stop();
            http.destroy();
        } catch (ReflectiveOperationException | org.apache.catalina.LifecycleException e) {
            throw new IllegalStateException("cannot stop S3Mock's connector on every interface", e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (app != null) {
                app.stop();
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Makes S3Mock accept {@code arn} as a KMS key of SSE-KMS writes. */
    public void registerKmsKey(String arn) {
        app.registerKMSKeyRef(arn);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + app.getPort();
    }

    @Override
    public S3Settings settings() {
        return S3Settings.of(BUCKET, url(), "test-key", "test-secret").withPrefix("t" + prefixes.incrementAndGet());
    }

    /** Deletes {@code root} and everything below it, if it exists. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
