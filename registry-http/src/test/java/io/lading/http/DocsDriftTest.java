package io.lading.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.admin.AdminEndpoint;
import io.lading.http.config.ConfigLoader;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hand-written docs ({@code README.md}, {@code docs/*.md}, {@code docker/README.md},
 * {@code bench/README.md}) name only configuration keys, environment variables and operator endpoints
 * that exist; {@code docs/operations.md} documents every operator endpoint and every metric; the
 * container image runs with the JVM flags {@code ./lading start} uses. Each test reports every stale
 * name at once, with the file it is in.
 */
class DocsDriftTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server();

    private static final List<String> SECTIONS = List.of("server", "auth", "lifecycle", "storage", "registry");

    /**
     * A {@code section.key} reference: not part of a longer dotted name, path or URL
     * ({@code io.lading.storage.local}, {@code registry.example.com}), nor a Java call
     * ({@code registry.uploads()}), nor a file name ({@code auth.md}).
     */
    private static final Pattern CONFIG_KEY = Pattern.compile(
            "(?<![\\w./])(" + String.join("|", SECTIONS) + ")((?:\\.[a-z][A-Za-z0-9]*)+)(?![\\w.(-])");

    private static final Set<String> FILE_SUFFIXES = Set.of("md", "yaml", "yml", "json", "java", "xml", "jar", "lock");

    private static final Pattern ENV_VAR = Pattern.compile("\\bLADING_[A-Z][A-Z0-9_]*[A-Z0-9]\\b");

    private static final Pattern ENDPOINT = Pattern.compile("/_lading/([a-z][a-z-]*)");

    private static final Pattern JVM_FLAGS_IN_SCRIPT = Pattern.compile("JVM_FLAGS=\\$\\{LADING_JVM_FLAGS:-\"([^\"]+)\"}");

    private static final Pattern JVM_FLAGS_IN_DOCKERFILE = Pattern.compile("ENV JAVA_TOOL_OPTIONS=\"([^\"]+)\"");

    /** The repository root: Maven runs tests with the module directory as working directory. */
    private static Path repoRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        Path root = Files.isRegularFile(cwd.resolve("README.md")) && Files.isDirectory(cwd.resolve("docs"))
                ? cwd : cwd.getParent();
        assertTrue(Files.isDirectory(root.resolve("docs")), "repository root not found from " + cwd);
        return root;
    }

    /** Every hand-written doc, by its path from the repository root. */
    private static Map<String, String> docs() {
        Path root = repoRoot();
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            List<Path> files = new ArrayList<>(docs.filter(p -> p.toString().endsWith(".md")).sorted().toList());
            files.add(root.resolve("README.md"));
            files.add(root.resolve("docker/README.md"));
            files.add(root.resolve("bench/README.md"));
            Map<String, String> text = new java.util.LinkedHashMap<>();
            for (Path f : files) {
                text.put(root.relativize(f).toString(), Files.readString(f));
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(String pathFromRoot) {
        try {
            return Files.readString(repoRoot().resolve(pathFromRoot));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void docsNameOnlyConfigurationKeysThatExist() {
        Set<String> known = Set.copyOf(ConfigLoader.knownKeys());
        Set<String> stale = new TreeSet<>();
        int seen = 0;
        for (Map.Entry<String, String> doc : docs().entrySet()) {
            Matcher m = CONFIG_KEY.matcher(doc.getValue());
            while (m.find()) {
                String rest = m.group(2); // ".key", or ".group.key" for a nested key (storage.s3.bucket)
                if (FILE_SUFFIXES.contains(rest.substring(rest.lastIndexOf('.') + 1))) {
                    continue;
                }
                seen++;
                String key = m.group(1) + rest;
                boolean group = known.stream().anyMatch(k -> k.startsWith(key + ".")); // storage.s3
                if (!known.contains(key) && !group && !showsATypo(doc.getValue(), m.start())) {
                    stale.add(key + " (" + doc.getKey() + ")");
                }
            }
        }
        assertTrue(seen > 50, "the pattern finds the keys the docs name (found " + seen + ")");
        assertTrue(stale.isEmpty(), "docs name configuration keys that do not exist: " + stale);
    }

    /**
     * Whether the name at {@code offset} is an example of a misspelt key: the error Lading prints for it
     * ("unknown configuration key ...") is on its line or the next.
     */
    private static boolean showsATypo(String doc, int offset) {
        int lineStart = doc.lastIndexOf('\n', offset) + 1;
        int end = doc.indexOf('\n', offset);
        end = end < 0 ? doc.length() : doc.indexOf('\n', end + 1);
        String lines = doc.substring(lineStart, end < 0 ? doc.length() : end);
        return lines.contains("unknown configuration key");
    }

    @Test
    void docsNameOnlyEnvironmentVariablesThatAreRead() {
        Set<String> known = ConfigLoader.knownKeys().stream().map(ConfigLoader::envName).collect(Collectors.toSet());
        // read by the shipped log configuration and by ./lading, not by the configuration loader
        Map<String, String> others = Map.of(
                "LADING_LOG_LEVEL", "registry-http/src/main/resources/logback.xml",
                "LADING_ACCESS_LOG_LEVEL", "registry-http/src/main/resources/logback.xml",
                "LADING_JVM_FLAGS", "lading",
                "LADING_MALLOC_ENV", "lading",
                "LADING_CDS_FLAGS", "lading");
        for (Map.Entry<String, String> o : others.entrySet()) {
            String text = read(o.getValue()); // ${NAME:-default}, or ${NAME-default} where empty means "off"
            assertTrue(text.contains("${" + o.getKey() + ":-") || text.contains("${" + o.getKey() + "-"),
                    o.getValue() + " reads " + o.getKey());
        }
        Set<String> stale = new TreeSet<>();
        for (Map.Entry<String, String> doc : docs().entrySet()) {
            Matcher m = ENV_VAR.matcher(doc.getValue());
            while (m.find()) {
                if (!known.contains(m.group()) && !others.containsKey(m.group())) {
                    stale.add(m.group() + " (" + doc.getKey() + ")");
                }
            }
        }
        assertTrue(stale.isEmpty(), "docs name environment variables that nothing reads: " + stale);
    }

    @Test
    void docsNameOnlyOperatorEndpointsThatExistAndOperationsDocumentsEachOne() {
        Set<String> served = server.lading().adminEndpoints().stream().map(AdminEndpoint::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(served.containsAll(List.of("gc", "expire", "metrics")), "endpoints found: " + served);
        Set<String> stale = new TreeSet<>();
        for (Map.Entry<String, String> doc : docs().entrySet()) {
            Matcher m = ENDPOINT.matcher(doc.getValue());
            while (m.find()) {
                if (!served.contains(m.group(1))) {
                    stale.add("/_lading/" + m.group(1) + " (" + doc.getKey() + ")");
                }
            }
        }
        String operations = read("docs/operations.md");
        Set<String> undocumented = new TreeSet<>();
        for (AdminEndpoint e : server.lading().adminEndpoints()) {
            if (!operations.contains("`" + e.method().name() + " /_lading/" + e.name())) {
                undocumented.add(e.method().name() + " /_lading/" + e.name());
            }
        }
        assertTrue(stale.isEmpty(), "docs name operator endpoints that do not exist: " + stale);
        assertTrue(undocumented.isEmpty(), "docs/operations.md does not document: " + undocumented);
    }

    @Test
    void operationsDocumentsEveryMetric() throws IOException {
        HttpResponse<byte[]> r = new TestHttp(server).send("GET", "/_lading/metrics", null, null);
        assertEquals(200, r.statusCode());
        String operations = read("docs/operations.md");
        Set<String> undocumented = new TreeSet<>();
        for (Iterator<String> names = new ObjectMapper().readTree(r.body()).fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!operations.contains("`" + name + "`")) {
                undocumented.add(name);
            }
        }
        assertTrue(undocumented.isEmpty(), "docs/operations.md does not explain the metrics " + undocumented);
    }

    @Test
    void theContainerImageAndItsPageUseTheJvmFlagsOfLadingStart() {
        Matcher script = JVM_FLAGS_IN_SCRIPT.matcher(read("lading"));
        assertTrue(script.find(), "./lading sets JVM_FLAGS");
        Matcher dockerfile = JVM_FLAGS_IN_DOCKERFILE.matcher(read("docker/Dockerfile"));
        assertTrue(dockerfile.find(), "docker/Dockerfile sets JAVA_TOOL_OPTIONS");
        assertEquals(script.group(1), dockerfile.group(1), "docker/Dockerfile runs with other JVM flags than ./lading");
        assertTrue(read("docker/README.md").contains(script.group(1)),
                "docker/README.md states the JVM flags: " + script.group(1));
        assertTrue(read("bench/README.md").contains("./lading jvm-flags"), "bench/README.md names where its flags come from");
    }
}
