package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Crowds against a Lading at exactly the shipped JVM flags ({@code ./lading jvm-flags}: 96 MiB heap,
 * 48 MiB direct memory, exit on any {@code OutOfMemoryError}): every request must succeed, no connection
 * may be reset, and the process must still be alive and have logged no out-of-memory error. Before the
 * shared body budget and the upload slots, 16 of 32 concurrent 32 MiB pushes were reset with
 * {@code OutOfDirectMemoryError}.
 */
class CrowdAtShippedFlagsTest {

    private static final int MIB = 1 << 20;

    private static Path work;
    private static SubprocessServer server;
    private static final HttpClient http = E2e.httpClient();

    @BeforeAll
    static void startServer() throws Exception {
        work = Files.createTempDirectory("lading-e2e-crowd");
        server = SubprocessServer.atShippedFlags(work).start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            E2e.deleteTree(work);
        }
    }

    @Test
    void sixtyFourConcurrent32MibPushesAllSucceed() throws Exception {
        int clients = 64;
        long size = 32L * MIB;
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                long seed = 0xC0FFEEL + i;
                String repo = "crowd/r" + (i % 8);
                results.add(pool.submit(() -> push(repo, seed, size)));
            }
            assertAllSucceeded(results);
        }
        assertServerSurvived();
    }

    @Test
    void ecrLayerPartsOfTheDocumentedMaximumAndConcurrentTenMibPartsAllSucceed() throws Exception {
        Path credentials = server.dataDir().resolve("auth/admin-credentials.json");
        String accessKey = E2e.readJson(credentials).get("accessKeyId").asText();
        String secret = E2e.readJson(credentials).get("secretAccessKey").asText();
        try (software.amazon.awssdk.services.ecr.EcrClient ecr = software.amazon.awssdk.services.ecr.EcrClient.builder()
                .endpointOverride(server.uri("/"))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(accessKey, secret)))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                // no retries: a part that fails once must show, not be hidden by the SDK's retry
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.core.retry.RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(1)))
                .build()) {
            ecr.createRepository(b -> b.repositoryName("crowd/ecr"));
            List<Integer> sizes = List.of(20 * MIB, 20 * MIB, 20 * MIB, 20 * MIB, 10 * MIB, 10 * MIB, 10 * MIB,
                    10 * MIB);
            List<Future<String>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < sizes.size(); i++) {
                    int size = sizes.get(i);
                    long seed = 0xECL + i;
                    results.add(pool.submit(() -> {
                        byte[] part = new LargeBlobStreamingTest.Generated(seed, 0, size).readAllBytes();
                        String uploadId = ecr.initiateLayerUpload(b -> b.repositoryName("crowd/ecr")).uploadId();
                        try {
                            ecr.uploadLayerPart(b -> b.repositoryName("crowd/ecr").uploadId(uploadId)
                                    .partFirstByte(0L).partLastByte((long) size - 1)
                                    .layerPartBlob(software.amazon.awssdk.core.SdkBytes.fromByteArray(part)));
                            return "";
                        } catch (RuntimeException e) {
                            return "part of " + size + " bytes failed: " + e;
                        }
                    }));
                }
                assertAllSucceeded(results);
            }
        }
        assertServerSurvived();
        try (java.util.stream.Stream<Path> left = java.nio.file.Files.walk(server.dataDir().resolve("tmp"))) {
            // the stores' own tmp/<uuid>.lock files stay while they run
            List<Path> files = left.filter(java.nio.file.Files::isRegularFile)
                    .filter(p -> !p.getParent().equals(server.dataDir().resolve("tmp"))
                            || !p.getFileName().toString().endsWith(".lock"))
                    .toList();
            assertEquals(List.of(), files, "the spooled layer parts are deleted when their calls end");
        }
    }

    private static void assertAllSucceeded(List<Future<String>> results) throws Exception {
        for (Future<String> r : results) {
            String failure = r.get();
            assertEquals("", failure, () -> failure + "\n" + tail(server.log()));
        }
    }

    private static void assertServerSurvived() {
        assertTrue(server.process().isAlive(), () -> "server died:\n" + tail(server.log()));
        String log = server.log();
        assertFalse(log.contains("OutOfMemoryError") || log.contains("OutOfDirectMemory"), () -> tail(log));
    }

    /** Pushes one generated blob monolithically; returns "" on success, else what went wrong. */
    private static String push(String repo, long seed, long size) throws Exception {
        String digest;
        try (InputStream in = new LargeBlobStreamingTest.Generated(seed, 0, size)) {
            digest = E2e.digestOf(in);
        }
        HttpResponse<String> created;
        try {
            created = http.send(HttpRequest.newBuilder(server.uri("/v2/" + repo + "/blobs/uploads/?digest=" + digest))
                    .timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new LargeBlobStreamingTest.Generated(seed, 0, size)), size))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return "push to " + repo + " failed: " + e;
        }
        if (created.statusCode() != 201) {
            return "push to " + repo + ": " + created.statusCode() + " " + created.body();
        }
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(server.uri("/v2/" + repo + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        long length = head.headers().firstValueAsLong("Content-Length").orElse(-1);
        return head.statusCode() == 200 && length == size ? "" : "HEAD " + digest + ": " + head.statusCode() + " " + length;
    }

    static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }
}
