import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The memory scenario of bench/memory.sh: a crowd of concurrent requests against one server process while
 * its resident set (VmRSS from /proc, every 200 ms; VmHWM at the end, reset first through
 * /proc/PID/clear_refs so that it covers this crowd alone) and, for Lading, its direct memory
 * ({@code memory.*} gauges of {@code /_lading/metrics}, every 200 ms) are sampled. Prints one line of
 * numbers for the script to tabulate:
 * {@code ok failed-status failed-io wall-seconds sampled-peak-rss-MiB vmhwm-MiB hwm-reset(1|0)
 * peak-direct-MiB peak-netty-allocator-MiB samples missed}
 * (the peaks are -1 when the server has no such gauges). Failures go to standard error, the first few
 * with their reason. Not a test: nothing is asserted.
 *
 * <pre>
 * java -cp CLASSPATH bench/MemoryBench.java push lading|distribution URL PID USER SECRET CLIENTS SIZE_MIB
 * java -cp CLASSPATH bench/MemoryBench.java ecr URL PID ACCESS_KEY SECRET CLIENTSxMIB[,CLIENTSxMIB...]
 * </pre>
 * CLASSPATH: registry-http's test class path (the AWS SDK is not in the shaded jar).
 */
public class MemoryBench {

    static final int MIB = 1 << 20;
    static final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    static int statusFailures;
    static int ioFailures;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        switch (mode) {
            case "push" -> push(args[1], URI.create(args[2]), Long.parseLong(args[3]), args[4], args[5],
                    Integer.parseInt(args[6]), Integer.parseInt(args[7]));
            case "ecr" -> ecr(URI.create(args[1]), Long.parseLong(args[2]), args[3], args[4], args[5]);
            default -> throw new IllegalArgumentException("mode push or ecr, not " + mode);
        }
    }

    // --- /v2 pushes ---------------------------------------------------------------------------------

    /** CLIENTS concurrent monolithic pushes of distinct SIZE_MIB blobs (one random block, a distinct tail). */
    static void push(String server, URI base, long pid, String user, String secret, int clients, int sizeMib)
            throws Exception {
        int size = sizeMib * MIB;
        byte[] body = new byte[size - 8];
        new Random(42).nextBytes(body);
        MessageDigest common = MessageDigest.getInstance("SHA-256");
        common.update(body);
        String[] digests = new String[clients];
        byte[][] tails = new byte[clients][];
        for (int i = 0; i < clients; i++) {
            tails[i] = ByteBuffer.allocate(8).putLong(System.nanoTime() ^ ((long) i << 48)).array();
            MessageDigest d = (MessageDigest) common.clone();
            d.update(tails[i]);
            digests[i] = "sha256:" + HexFormat.of().formatHex(d.digest());
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        boolean lading = server.equals("lading");
        List<Callable<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int n = i;
            calls.add(() -> {
                String repo = "membench/r" + (n % 8);
                HttpRequest.BodyPublisher blob = HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofByteArray(body), HttpRequest.BodyPublishers.ofByteArray(tails[n]));
                HttpRequest put;
                if (lading) { // monolithic: POST ?digest= with the body
                    put = HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/uploads/?digest=" + digests[n]))
                            .header("Authorization", basic).header("Content-Type", "application/octet-stream")
                            .timeout(Duration.ofMinutes(10)).POST(blob).build();
                } else { // Distribution has no monolithic POST: POST, then PUT ?digest= with the body
                    HttpResponse<String> started = http.send(HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/uploads/"))
                            .header("Authorization", basic).POST(HttpRequest.BodyPublishers.noBody()).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (started.statusCode() != 202) {
                        return status("POST " + repo, started.statusCode(), started.body());
                    }
                    String loc = started.headers().firstValue("Location").orElseThrow();
                    URI at = base.resolve(loc);
                    String sep = at.getRawQuery() == null ? "?" : "&";
                    put = HttpRequest.newBuilder(URI.create(at + sep + "digest=" + digests[n]))
                            .header("Authorization", basic).header("Content-Type", "application/octet-stream")
                            .timeout(Duration.ofMinutes(10)).PUT(blob).build();
                }
                HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 201 || status("push " + repo, r.statusCode(), r.body());
            });
        }
        run(calls, base, pid, lading ? basic : null);
    }

    // --- ECR UploadLayerPart ------------------------------------------------------------------------

    /** For each CLIENTSxMIB phase in turn: CLIENTS concurrent UploadLayerPart calls of MIB each, one upload each. */
    static void ecr(URI base, long pid, String accessKey, String secret, String phases) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((accessKey + ":" + secret).getBytes());
        try (EcrClient ecr = EcrClient.builder().endpointOverride(base).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(5)))
                // no retries: a call that fails once must show, not be hidden by the SDK's retry
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
                .build()) {
            String repo = "membench/ecr";
            try {
                ecr.createRepository(b -> b.repositoryName(repo));
            } catch (software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException e) {
                // a rerun on the same data
            }
            List<Callable<Boolean>> calls = new ArrayList<>();
            List<Integer> phaseEnds = new ArrayList<>();
            for (String phase : phases.split(",")) {
                String[] p = phase.split("x");
                int clients = Integer.parseInt(p[0]);
                int size = Integer.parseInt(p[1]) * MIB;
                byte[] part = new byte[size];
                new Random(size).nextBytes(part);
                for (int i = 0; i < clients; i++) {
                    calls.add(() -> {
                        String uploadId;
                        try {
                            uploadId = ecr.initiateLayerUpload(b -> b.repositoryName(repo)).uploadId();
                            ecr.uploadLayerPart(b -> b.repositoryName(repo).uploadId(uploadId).partFirstByte(0L)
                                    .partLastByte((long) size - 1).layerPartBlob(SdkBytes.fromByteArrayUnsafe(part)));
                        } catch (AwsServiceException e) {
                            return status("UploadLayerPart " + size, e.statusCode(), e.getMessage());
                        }
                        return true;
                    });
                }
                phaseEnds.add(calls.size());
            }
            run(calls, phaseEnds, base, pid, basic);
        }
    }

    // --- the crowd and the sampler ------------------------------------------------------------------

    static boolean status(String what, int code, String body) {
        synchronized (MemoryBench.class) {
            statusFailures++;
        }
        note(what + ": " + code + " " + (body == null ? "" : body.substring(0, Math.min(200, body.length()))));
        return false;
    }

    static void note(String failure) {
        if (failures.size() < 5) {
            failures.add(failure);
        }
    }

    static void run(List<Callable<Boolean>> calls, URI base, long pid, String metricsAuth) throws Exception {
        run(calls, List.of(calls.size()), base, pid, metricsAuth);
    }

    /** Runs the calls, all of one phase at once, phases in turn, while sampling the server. */
    static void run(List<Callable<Boolean>> calls, List<Integer> phaseEnds, URI base, long pid, String metricsAuth)
            throws Exception {
        boolean hwmReset = resetHighWaterMark(pid);
        Sampler sampler = new Sampler(base, pid, metricsAuth);
        Thread sampling = Thread.ofPlatform().daemon().start(sampler);
        int ok = 0;
        long start = System.nanoTime();
        int from = 0;
        for (int end : phaseEnds) {
            List<Future<Boolean>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Callable<Boolean> c : calls.subList(from, end)) {
                    results.add(pool.submit(c));
                }
                for (Future<Boolean> f : results) {
                    try {
                        ok += f.get() ? 1 : 0;
                    } catch (java.util.concurrent.ExecutionException e) {
                        synchronized (MemoryBench.class) {
                            ioFailures++;
                        }
                        note(e.getCause().toString()); // a reset, a timeout, a refused connection
                    }
                }
            }
            from = end;
        }
        double wall = (System.nanoTime() - start) / 1e9;
        sampler.stop.set(true);
        sampling.join();
        failures.forEach(f -> System.err.println("  failure: " + f));
        System.out.printf("%d %d %d %.2f %.0f %.0f %d %.1f %.1f %d %d%n", ok, statusFailures, ioFailures, wall,
                sampler.peakRss / 1024.0, Sampler.kib(pid, "VmHWM") / 1024.0, hwmReset ? 1 : 0,
                mib(sampler.peakDirect), mib(sampler.peakAllocator), sampler.samples, sampler.missed);
    }

    static double mib(long bytes) {
        return bytes < 0 ? -1.0 : bytes / (double) MIB;
    }

    /** Sets the process's VmHWM to its current VmRSS (Linux: "5" to clear_refs; the owner or root may). */
    static boolean resetHighWaterMark(long pid) {
        try {
            // WRITE only: the default options would also truncate, which procfs refuses
            Files.write(Path.of("/proc/" + pid + "/clear_refs"), "5".getBytes(), StandardOpenOption.WRITE);
            return true;
        } catch (IOException e) {
            System.err.println("  VmHWM not reset: " + e); // VmHWM stays cumulative since the process started
            return false;
        }
    }

    /** Every 200 ms: the server's VmRSS and, when it has them, its direct-memory gauges. */
    static final class Sampler implements Runnable {
        private static final Pattern GAUGE = Pattern.compile("\"memory\\.(directBufferBytes|nettyDirectBytes)\":(-?\\d+)");
        private static final Pattern ALLOCATOR = Pattern.compile("\"memory\\.nettyAllocatorDirectBytes\":(-?\\d+)");
        final AtomicBoolean stop = new AtomicBoolean();
        final URI metrics;
        final long pid;
        final String auth;
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long peakRss;
        long peakDirect = -1;
        long peakAllocator = -1;
        int samples;
        int missed;

        Sampler(URI base, long pid, String auth) {
            this.metrics = base.resolve("/_lading/metrics");
            this.pid = pid;
            this.auth = auth;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                long t = System.nanoTime();
                sample();
                long sleep = 200 - (System.nanoTime() - t) / 1_000_000;
                if (sleep > 0) {
                    try {
                        Thread.sleep(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            sample();
        }

        private void sample() {
            samples++;
            peakRss = Math.max(peakRss, kib(pid, "VmRSS"));
            if (auth == null) {
                return;
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).header("Authorization", auth)
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                Matcher m = GAUGE.matcher(r.body());
                long direct = 0;
                boolean found = false;
                while (m.find()) {
                    found = true;
                    direct += Math.max(0, Long.parseLong(m.group(2))); // nettyDirectBytes is -1 when not counted
                }
                if (found) {
                    peakDirect = Math.max(peakDirect, direct);
                } else {
                    missed++;
                }
                Matcher a = ALLOCATOR.matcher(r.body());
                if (a.find()) {
                    peakAllocator = Math.max(peakAllocator, Long.parseLong(a.group(1)));
                }
            } catch (IOException | InterruptedException e) {
                missed++;
            }
        }

        static long kib(long pid, String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith(field + ":")) {
                        return Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            return 0;
        }
    }
}
