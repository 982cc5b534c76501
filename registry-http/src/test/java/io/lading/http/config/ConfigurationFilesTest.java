package io.lading.http.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration files shipped in {@code docker/} and {@code docs/} load, and
 * {@code docs/configuration.md} and {@code --help} list every key of {@code lading-defaults.yaml}.
 */
class ConfigurationFilesTest {

    private static final Pattern FIRST_YAML_BLOCK = Pattern.compile("(?s)```yaml\\R(.*?)```");

    /** The repository root: Maven runs tests with the module directory as working directory. */
    private static Path repoRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        Path root = Files.isRegularFile(cwd.resolve("docs/configuration.md")) ? cwd : cwd.getParent();
        assertTrue(Files.isRegularFile(root.resolve("docs/configuration.md")),
                "repository root not found from " + cwd);
        return root;
    }

    private static LadingConfig loadFile(Path file) {
        ConfigLoader.Loaded loaded = ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of());
        assertFalse(loaded.helpRequested());
        return loaded.config();
    }

    @Test
    void dockerExampleFileLoadsAndTakesEffect() {
        LadingConfig config = loadFile(repoRoot().resolve("docker/lading.yaml"));
        assertEquals(Duration.ofHours(12), config.registry().uploadExpiry());
        assertEquals(500, config.registry().pageSizeMax());
        assertEquals(Duration.ofMinutes(2), config.server().idleTimeout());
    }

    @Test
    void exampleBlockInConfigurationDocLoadsAndTakesEffect(@TempDir Path tmp) throws IOException {
        String doc = Files.readString(repoRoot().resolve("docs/configuration.md"));
        Matcher m = FIRST_YAML_BLOCK.matcher(doc);
        assertTrue(m.find(), "docs/configuration.md has no ```yaml block");
        Path file = tmp.resolve("example.yaml");
        Files.writeString(file, m.group(1));

        LadingConfig config = loadFile(file);
        assertEquals("0.0.0.0", config.server().host());
        assertEquals(Path.of("/var/lib/lading"), config.storage().root());
        assertEquals(Duration.ofHours(6), config.registry().uploadExpiry());
    }

    @Test
    void configurationDocListsEveryKeyWithItsEnvironmentVariable() throws IOException {
        String doc = Files.readString(repoRoot().resolve("docs/configuration.md"));
        List<String> rows = doc.lines().filter(l -> l.startsWith("| `")).toList();
        List<String> missing = new ArrayList<>();
        for (String key : ConfigLoader.keys(ConfigLoader.defaults())) {
            String env = ConfigLoader.envName(key);
            boolean listed = rows.stream().anyMatch(r -> r.contains("`" + key + "`") && r.contains("`" + env + "`"));
            if (!listed) {
                missing.add(key + " (" + env + ")");
            }
        }
        assertTrue(missing.isEmpty(), "docs/configuration.md lacks a table row for: " + missing);
    }

    @Test
    void helpListsEveryKeyAndEnvironmentVariable() {
        String help = ConfigLoader.help();
        List<String> keys = ConfigLoader.keys(ConfigLoader.defaults());
        assertFalse(keys.isEmpty());
        for (String key : keys) {
            assertTrue(help.contains("--" + key + " "), "--help lacks --" + key);
            assertTrue(help.contains(ConfigLoader.envName(key)), "--help lacks " + ConfigLoader.envName(key));
        }
    }

    @Test
    void flagOverridesEnvironmentWhichOverridesDefault() {
        Map<String, String> env = Map.of("LADING_SERVER_PORT", "6000");
        assertEquals(7000, ConfigLoader.load(new String[] {"--server.port=7000"}, env).config().server().port());
        assertEquals(6000, ConfigLoader.load(new String[0], env).config().server().port());
        assertEquals(5000, ConfigLoader.load(new String[0], Map.of()).config().server().port());
    }

    @Test
    void environmentOverridesConfigFile(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("lading.yaml");
        Files.writeString(file, "server:\n  port: 5500\n");
        String[] args = {"--config", file.toString()};
        assertEquals(5500, ConfigLoader.load(args, Map.of()).config().server().port());
        assertEquals(6000, ConfigLoader.load(args, Map.of("LADING_SERVER_PORT", "6000")).config().server().port());
    }

    @Test
    void rejectsUnknownKeys(@TempDir Path tmp) throws IOException {
        assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(new String[] {"--server.prot=5001"}, Map.of()));
        Path file = tmp.resolve("typo.yaml");
        Files.writeString(file, "registry:\n  createOnPsuh: false\n");
        assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()));
    }

    @Test
    void rejectsSlowClientLimitsThatMakeNoSense() {
        for (String flag : new String[] {"--server.headerTimeout=PT0S", "--server.headerTimeout=-PT1S",
                "--server.minBodyBytesPerSecond=-1", "--server.bodyRateWindow=PT0S"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConfigLoader.load(new String[] {flag}, Map.of()), flag);
            String key = flag.substring(2, flag.indexOf('='));
            assertTrue(String.valueOf(e.getMessage()).contains(key), flag + ": " + e.getMessage());
        }
        assertEquals(0, ConfigLoader.load(new String[] {"--server.minBodyBytesPerSecond=0"}, Map.of()).config()
                .server().minBodyBytesPerSecond());
    }
}
