package io.lading.http.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link LadingConfig} from, in rising precedence: the bundled defaults
 * ({@code lading-defaults.yaml}, which lists every key), the YAML file named by {@code --config}, the
 * environment ({@code LADING_SECTION_KEY}) and flags ({@code --section.key=value}). A key that is not in
 * the defaults is an error, so typos do not pass silently.
 */
public final class ConfigLoader {

    public static final String DEFAULTS = "lading-defaults.yaml";
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ConfigLoader() {
    }

    /** The parsed command line: configuration, or a request for help. */
    public record Loaded(LadingConfig config, boolean helpRequested) {
    }

    /**
     * Reads the defaults, then {@code --config} files, then {@code LADING_*} environment variables, then
     * flags (later wins). Relative paths (a config file, {@code storage.root}) are resolved against the
     * working directory of the process, which {@code ./lading} leaves as the caller's.
     *
     * @throws IllegalArgumentException with a one-line message naming the key, where its value came from
     *     (file, environment variable or flag) and what is wrong
     */
    public static Loaded load(String[] args, Map<String, String> env) {
        ObjectNode tree = defaults();
        Map<String, String> origins = new java.util.HashMap<>();
        List<String[]> flags = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                help = true;
                continue;
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("flag --" + key + " needs a value");
            }
            if (key.equals("config")) {
                Path file = Path.of(value).toAbsolutePath().normalize();
                merge(tree, readFile(file), "", "file " + file, origins);
            } else {
                flags.add(new String[] {key, value});
            }
        }
        for (String key : keys(defaults())) {
            String envName = envName(key);
            if (env.containsKey(envName)) {
                set(tree, key, env.get(envName), "environment variable " + envName);
                origins.put(key, "environment variable " + envName);
            }
        }
        for (String[] f : flags) {
            set(tree, f[0], f[1], "flag --" + f[0]);
            origins.put(f[0], "flag --" + f[0]);
        }
        try {
            return new Loaded(YAML.treeToValue(tree, LadingConfig.class), help);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw new IllegalArgumentException(ConfigErrors.describe(e, tree, origins), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid configuration: " + ConfigErrors.firstLine(e.getMessage()), e);
        }
    }

    /** The environment variable that overrides {@code section.key}. */
    public static String envName(String dottedKey) {
        return "LADING_" + dottedKey.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Text for {@code --help}: every key with its default and environment variable. */
    public static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: lading [--config FILE.yaml] [--section.key=value ...]\n\n");
        sb.append("Keys (flag / environment variable / default):\n");
        ObjectNode d = defaults();
        for (String key : keys(d)) {
            sb.append(String.format("  --%-34s %-38s %s%n", key, envName(key), d.at("/" + key.replace('.', '/')).asText()));
        }
        sb.append("\nSee docs/configuration.md for what each key does.\n");
        return sb.toString();
    }

    static ObjectNode defaults() {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every configuration key ({@code section.key}) with a default, in the defaults file's order. */
    public static List<String> knownKeys() {
        return keys(defaults());
    }

    /**
     * Every key below the sections of {@code tree}: {@code section.key}, or {@code section.group.key} for a
     * mapping inside a section ({@code storage.s3.bucket}). A list is one key.
     */
    static List<String> keys(ObjectNode tree) {
        List<String> out = new ArrayList<>();
        tree.properties().forEach(section -> leaves(section.getValue(), section.getKey(), out));
        return out;
    }

    private static void leaves(JsonNode node, String prefix, List<String> out) {
        node.properties().forEach(k -> {
            String key = prefix + "." + k.getKey();
            if (k.getValue().isObject()) {
                leaves(k.getValue(), key, out);
            } else {
                out.add(key);
            }
        });
    }

    private static JsonNode readFile(Path file) {
        try {
            JsonNode n = YAML.readTree(Files.readAllBytes(file));
            return n == null ? YAML.createObjectNode() : n;
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? ConfigErrors.firstLine(j.getOriginalMessage()) + (j.getLocation() == null ? ""
                            : " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr())
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage();
            throw new IllegalArgumentException("cannot read configuration file " + file + ": "
                    + ConfigErrors.firstLine(why), e);
        }
    }

    private static void merge(ObjectNode target, JsonNode source, String prefix, String origin,
            Map<String, String> origins) {
        if (!source.isObject()) {
            throw new IllegalArgumentException("configuration " + (prefix.isEmpty() ? "" : "key " + prefix + " ")
                    + "in " + origin + " must be a mapping of keys to values");
        }
        Iterator<Map.Entry<String, JsonNode>> it = source.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode existing = target.get(e.getKey());
            if (existing == null) {
                throw new IllegalArgumentException("unknown configuration key " + key + " (in " + origin + ")");
            }
            if (existing.isObject()) {
                merge((ObjectNode) existing, e.getValue(), key, origin, origins);
            } else {
                target.set(e.getKey(), e.getValue());
                origins.put(key, origin);
            }
        }
    }

    /** Sets the leaf {@code dottedKey} ({@code section.key} or {@code section.group.key}) to {@code value}. */
    private static void set(ObjectNode tree, String dottedKey, String value, String origin) {
        String[] path = dottedKey.split("\\.", -1);
        JsonNode parent = tree;
        for (int i = 0; i < path.length - 1 && parent != null; i++) {
            parent = parent.get(path[i]);
        }
        String leaf = path[path.length - 1];
        if (path.length < 2 || !(parent instanceof ObjectNode p) || !p.has(leaf) || p.get(leaf).isObject()) {
            throw new IllegalArgumentException("unknown configuration key " + dottedKey + " (" + origin + ")");
        }
        p.put(leaf, value);
    }
}
