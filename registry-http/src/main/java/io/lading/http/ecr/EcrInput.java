package io.lading.http.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Typed, validated access to an operation's JSON input, with ECR's error shapes: a member of the wrong
 * JSON type is a {@code SerializationException}; a missing required member or a broken constraint is an
 * {@code InvalidParameterException} worded as ECR words it (ecr-api.md 2.6). JSON {@code null} counts
 * as absent; unknown members are ignored.
 */
public final class EcrInput {

    private final ObjectNode body;

    public EcrInput(ObjectNode body) {
        this.body = body;
    }

    private JsonNode node(String member) {
        JsonNode n = body.get(member);
        return n == null || n.isNull() ? null : n;
    }

    /**
     * A base64 member decoded while parsing into a temp file (deleted when the call ends).
     *
     * @param file the decoded bytes
     * @param length how many bytes were decoded
     * @param sha256 their SHA-256
     */
    public record Blob(java.nio.file.Path file, long length, byte[] sha256) {
        /** The decoded bytes, from the start. */
        public java.io.InputStream open() throws java.io.IOException {
            return java.nio.file.Files.newInputStream(file);
        }
    }

    /**
     * A base64 blob member ({@code layerPartBlob}) that the parser decoded straight from the request body
     * to disk, so neither its text nor its bytes are ever held in memory whole; missing or not a string
     * gives the same errors as {@link #requiredString}.
     */
    public Blob requiredBlob(String member) {
        JsonNode n = body.get(member);
        if (n instanceof com.fasterxml.jackson.databind.node.POJONode pojo && pojo.getPojo() instanceof Blob b) {
            return b;
        }
        requiredString(member); // throws: missing, or not a string
        throw new IllegalStateException("member " + member + " was not decoded while parsing");
    }

    public boolean has(String member) {
        return node(member) != null;
    }

    /** An optional string member. */
    public String string(String member) {
        JsonNode n = node(member);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw serialization(member, "string");
        }
        return n.asText();
    }

    /** A required string member. */
    public String requiredString(String member) {
        String v = string(member);
        if (v == null) {
            throw notNull(member);
        }
        return v;
    }

    /** An optional string with length and (full-match) pattern constraints. */
    public String string(String member, int min, int max, Pattern pattern, String patternText) {
        String v = string(member);
        if (v != null) {
            checkLength(member, v, min, max);
            if (pattern != null && !pattern.matcher(v).matches()) {
                throw regex(member, patternText);
            }
        }
        return v;
    }

    public Long longValue(String member) {
        JsonNode n = node(member);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber()) {
            throw serialization(member, "long");
        }
        return n.asLong();
    }

    public long requiredLong(String member) {
        Long v = longValue(member);
        if (v == null) {
            throw notNull(member);
        }
        return v;
    }

    public Integer intValue(String member, int min, int max) {
        Long v = longValue(member);
        if (v == null) {
            return null;
        }
        if (v < min || v > max) {
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at '" + member
                    + "' failed to satisfy constraint: 'Member must have value " + (v < min
                            ? "greater than or equal to " + min : "less than or equal to " + max) + "'");
        }
        return v.intValue();
    }

    public Boolean bool(String member) {
        JsonNode n = node(member);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw serialization(member, "boolean");
        }
        return n.asBoolean();
    }

    /** An optional enum-valued string. */
    public String enumValue(String member, List<String> allowed) {
        String v = string(member);
        if (v != null && !allowed.contains(v)) {
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at '" + member
                    + "' failed to satisfy constraint: 'Member must satisfy enum value set: " + allowed + "'");
        }
        return v;
    }

    /** An optional object member as its own input. */
    public EcrInput object(String member) {
        JsonNode n = node(member);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw serialization(member, "structure");
        }
        return new EcrInput((ObjectNode) n);
    }

    /** An optional list of objects, with item-count limits. */
    public List<EcrInput> objects(String member, int min, int max) {
        JsonNode n = list(member, min, max);
        if (n == null) {
            return null;
        }
        List<EcrInput> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isObject()) {
                throw serialization(member, "list of structures");
            }
            out.add(new EcrInput((ObjectNode) item));
        }
        return out;
    }

    /** An optional list of strings, with item-count limits. */
    public List<String> strings(String member, int min, int max) {
        JsonNode n = list(member, min, max);
        if (n == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isTextual()) {
                throw serialization(member, "list of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    private JsonNode list(String member, int min, int max) {
        JsonNode n = node(member);
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            throw serialization(member, "list");
        }
        if (n.size() < min || n.size() > max) {
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at '" + member
                    + "' failed to satisfy constraint: 'Member must have length " + (n.size() < min
                            ? "greater than or equal to " + min : "less than or equal to " + max) + "'");
        }
        return n;
    }

    public static void checkLength(String member, String v, int min, int max) {
        if (v.length() < min) {
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at '" + member
                    + "' failed to satisfy constraint: 'Member must have length greater than or equal to " + min + "'");
        }
        if (v.length() > max) {
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at '" + member
                    + "' failed to satisfy constraint: 'Member must have length less than or equal to " + max + "'");
        }
    }

    public static EcrException regex(String member, String patternText) {
        return EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at '" + member
                + "' failed to satisfy constraint: 'must satisfy regular expression '" + patternText + "''");
    }

    public static EcrException notNull(String member) {
        return EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at '" + member
                + "' failed to satisfy constraint: 'Member must not be null'");
    }

    private static EcrException serialization(String member, String type) {
        return EcrErrorType.SERIALIZATION.error("Member '" + member + "' must be a " + type);
    }
}
