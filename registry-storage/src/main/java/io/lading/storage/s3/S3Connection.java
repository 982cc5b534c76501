package io.lading.storage.s3;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 client and pre-signer of one node, built from {@link S3Settings}: the synchronous Apache HTTP
 * client (a bounded connection pool), the SDK's standard retry strategy with the configured attempts
 * (5xx, {@code SlowDown} and other throttling, timeouts and connection resets; exponential backoff with
 * full jitter), and the credentials given or the SDK's default chain. Closing it closes both.
 */
public final class S3Connection implements AutoCloseable {

    /** First retry's largest delay; each further retry doubles it, up to {@link #MAX_BACKOFF}. */
    static final Duration BASE_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** How long a connection attempt, and a wait for data on an open connection, may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private final S3Settings settings;
    private final S3Client client;
    private final S3Presigner presigner;
    /** Closed with the connection: the client does not close a provider it was given (the default chain's
     *  providers may hold a refresh thread, e.g. for instance metadata or web identity). */
    private final AwsCredentialsProvider credentials;

    private S3Connection(S3Settings settings, S3Client client, S3Presigner presigner,
            AwsCredentialsProvider credentials) {
        this.settings = settings;
        this.client = client;
        this.presigner = presigner;
        this.credentials = credentials;
    }

    /** Connects to the bucket of {@code settings}; makes no request yet. */
    public static S3Connection open(S3Settings settings) {
        return open(settings, null);
    }

    /**
     * As {@link #open(S3Settings)}, with {@code interceptor} (or null) added to the client's requests: tests
     * inject faults with it.
     */
    static S3Connection open(S3Settings settings, ExecutionInterceptor interceptor) {
        AwsCredentialsProvider credentials = settings.accessKeyId().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
        Region region = Region.of(settings.region());
        var builder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(settings.maxConnections())
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT))
                .overrideConfiguration(o -> {
                    o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(settings.maxAttempts())
                            .backoffStrategy(BackoffStrategy.exponentialDelay(BASE_BACKOFF, MAX_BACKOFF))
                            .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(BASE_BACKOFF, MAX_BACKOFF))
                            .build());
                    if (interceptor != null) {
                        o.addExecutionInterceptor(interceptor);
                    }
                });
        var presign = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
        if (!settings.endpoint().isEmpty()) {
            builder.endpointOverride(URI.create(settings.endpoint()));
            presign.endpointOverride(URI.create(settings.endpoint()));
        }
        S3Client client = builder.build();
        try {
            return new S3Connection(settings, client, presign.build(), credentials);
        } catch (RuntimeException | Error e) {
            client.close();
            if (credentials instanceof AutoCloseable closeable) {
                closeQuietly(closeable);
            }
            throw e;
        }
    }

    S3Settings settings() {
        return settings;
    }

    S3Client client() {
        return client;
    }

    S3Presigner presigner() {
        return presigner;
    }

    @Override
    public void close() {
        try {
            presigner.close();
        } finally {
            try {
                client.close();
            } finally {
                if (credentials instanceof AutoCloseable closeable) {
                    closeQuietly(closeable);
                }
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing was being written: a provider's refresh thread is all it holds
        }
    }
}
