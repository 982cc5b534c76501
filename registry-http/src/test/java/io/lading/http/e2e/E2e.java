package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Helpers shared by the end-to-end tests: locating the project's tools, running commands, hashing. */
final class E2e {

    static final ObjectMapper JSON = new ObjectMapper();

    private E2e() {
    }

    /** The repository root: the first directory upwards from the working directory holding {@code lading} and {@code registry-http}. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("lading")) && Files.isDirectory(dir.resolve("registry-http"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    /** {@code <root>/tools}: the scripts that build test images and run a private containerd. */
    static Path tools() {
        return repoRoot().resolve("tools");
    }

    /** {@code user:secret} of the default test user, as {@code ctr --user} and {@code skopeo --creds} take it. */
    static final String CREDS = io.lading.http.ecr.EcrTestSupport.ACCESS_KEY + ":" + io.lading.http.ecr.EcrTestSupport.SECRET;

    /**
     * Writes a containers-auth.json ({@code REGISTRY_AUTH_FILE}) holding only the default test user's
     * credentials for each of {@code hostPorts}: the clients log in as users do, and no stray login of the
     * machine is used.
     */
    static void writeAuthFile(Path file, String... hostPorts) throws IOException {
        String auth = java.util.Base64.getEncoder().encodeToString(CREDS.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<String> entries = new ArrayList<>();
        for (String hostPort : hostPorts) {
            entries.add("\"" + hostPort + "\":{\"auth\":\"" + auth + "\"}");
        }
        Files.writeString(file, "{\"auths\":{" + String.join(",", entries) + "}}");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpClient httpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The outcome of a command: exit status and its standard output and error. */
    record Result(List<String> command, int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** A description for assertion messages. */
        String describe() {
            String o = out();
            return String.join(" ", command) + " -> exit " + exit
                    + "\n--- stdout ---\n" + (o.length() > 4000 ? o.substring(0, 4000) + "..." : o)
                    + "\n--- stderr ---\n" + (stderr.length() > 4000 ? stderr.substring(stderr.length() - 4000) : stderr);
        }

        Result assertOk() {
            assertEquals(0, exit, () -> "command failed: " + describe());
            return this;
        }
    }

    /**
     * Runs a command with stdin from /dev/null and its output in temp files (never pipes: a daemon it
     * starts may keep inherited descriptors open), killing it if it outlives {@code timeout}.
     */
    static Result run(Duration timeout, Map<String, String> env, List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("e2e-out", ".log");
            err = Files.createTempFile("e2e-err", ".log");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new Result(command, -1, Files.readAllBytes(out),
                        "TIMED OUT after " + timeout + "\n" + Files.readString(err));
            }
            return new Result(command, p.exitValue(), Files.readAllBytes(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    static Result run(Duration timeout, String... command) {
        return run(timeout, Map.of(), List.of(command));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String digestOf(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static String digestOf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digestOf(in);
        }
    }

    static String digestOf(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    static JsonNode readJson(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    static JsonNode readJson(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(E2e::deleteQuietly);
        } catch (IOException e) {
            // best effort
        }
    }

    static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    // ---- OCI image layouts (as written by make-images.sh)

    /** The digest of the manifest named {@code ref} by {@code org.opencontainers.image.ref.name} in a layout's index.json. */
    static String layoutDigest(Path layout, String ref) throws IOException {
        for (JsonNode m : readJson(layout.resolve("index.json")).path("manifests")) {
            if (ref.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
                return m.path("digest").asText();
            }
        }
        throw new AssertionError("no ref " + ref + " in " + layout.resolve("index.json"));
    }

    static Path layoutBlob(Path layout, String digest) {
        return layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    /**
     * Every blob digest a manifest or index in {@code layout} reaches (itself, config, layers, child
     * manifests recursively); the subject of an artifact is not part of it.
     */
    static List<String> reachableBlobs(Path layout, String digest) throws IOException {
        List<String> all = new ArrayList<>();
        collect(layout, digest, all);
        return all;
    }

    private static void collect(Path layout, String digest, List<String> into) throws IOException {
        into.add(digest);
        JsonNode node = readJson(Files.readAllBytes(layoutBlob(layout, digest)));
        if (node.has("manifests")) {
            for (JsonNode m : node.path("manifests")) {
                collect(layout, m.path("digest").asText(), into);
            }
        }
        if (node.has("config")) {
            into.add(node.path("config").path("digest").asText());
        }
        for (JsonNode l : node.path("layers")) {
            into.add(l.path("digest").asText());
        }
    }

    /** Every blob the manifest {@code digest} of the source layout reaches is in {@code pulled}, byte for byte. */
    static void assertSameBlobs(Path source, Path pulled, String digest) throws Exception {
        List<String> blobs = E2e.reachableBlobs(source, digest);
        assertTrue(blobs.size() >= 2, "the image reaches its manifest and more: " + blobs);
        for (String blob : blobs) {
            Path want = E2e.layoutBlob(source, blob);
            Path got = E2e.layoutBlob(pulled, blob);
            assertTrue(Files.isRegularFile(got), "pulled layout lacks " + blob);
            assertEquals(-1L, Files.mismatch(want, got), "pulled blob differs from the source: " + blob);
            assertEquals(blob, E2e.digestOf(got), "pulled blob does not hash to its name");
        }
    }
}
