package io.lading.http.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a failure to bind the merged configuration into one line for an operator: the key, where its
 * value came from ({@code file /etc/lading.yaml}, {@code environment variable LADING_SERVER_PORT},
 * {@code flag --server.port}, or the defaults), the value, and what is wrong. Never a stack trace or
 * Jackson's multi-line excerpt. Stateless.
 */
final class ConfigErrors {

    private ConfigErrors() {
    }

    static String describe(JsonMappingException e, JsonNode tree, Map<String, String> origins) {
        String key = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String origin = origins.getOrDefault(key, origins.entrySet().stream()
                .filter(o -> o.getKey().startsWith(key + ".")).map(Map.Entry::getValue).findFirst().orElse("defaults"));
        String what;
        if (e instanceof InvalidFormatException f) {
            what = "'" + f.getValue() + "' is not " + expected(f.getTargetType());
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            JsonNode value = key.isEmpty() ? null : tree.at("/" + key.replace('.', '/'));
            what = (value == null || value.isMissingNode() ? "the value" : "'" + value.asText() + "'") + " is not "
                    + expected(m.getTargetType());
        } else {
            // a record's own check (e.g. "auth.dataPlane must be ..."): the message names the key
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            what = firstLine(cause instanceof JsonMappingException j ? j.getOriginalMessage() : cause.getMessage());
            for (Map.Entry<String, String> o : origins.entrySet()) {
                if (what.startsWith(o.getKey() + " ")) {
                    return "invalid configuration key " + o.getKey() + " (" + o.getValue() + "): "
                            + what.substring(o.getKey().length() + 1);
                }
            }
            // a key left at its default that another key's value makes wrong (storage.s3.bucket once blobs are on S3)
            if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode all) {
                for (String known : ConfigLoader.keys(all)) {
                    if (what.startsWith(known + " ")) {
                        return "invalid configuration key " + known + " (defaults): " + what.substring(known.length() + 1);
                    }
                }
            }
        }
        return "invalid configuration" + (key.isEmpty() ? "" : " key " + key) + " (" + origin + "): " + what;
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == java.time.Duration.class) {
            return "an ISO-8601 duration such as PT1H or PT30S";
        }
        return "a valid " + type.getSimpleName();
    }

    /** The first line of {@code message}, without Jackson's source excerpt. */
    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        int excerpt = line.indexOf(" at [Source");
        return (excerpt < 0 ? line : line.substring(0, excerpt)).strip();
    }
}
