package io.lading.storage.sql;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.digest.Digest;
import io.lading.storage.sql.CatalogChange.ImageChanged;
import io.lading.storage.sql.CatalogChange.ImageRemoved;
import io.lading.storage.sql.CatalogChange.LinkChanged;
import io.lading.storage.sql.CatalogChange.LinksRemoved;
import io.lading.storage.sql.CatalogChange.RepositoryCreated;
import io.lading.storage.sql.CatalogChange.RepositoryDeleted;
import io.lading.storage.sql.CatalogChange.RepositoryUpdated;
import io.lading.storage.sql.CatalogChange.TagChanged;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link CatalogChange} as a PostgreSQL notification payload and back: one JSON object naming the
 * sending node ({@code node}), the kind of change ({@code kind}) and its fields, e.g.
 * {@code {"node":"6f1c…","kind":"tag","repo":12,"tag":"v1"}}. The kind {@code all} says "everything may
 * have changed" (the sender lost changes): receivers drop every cached entry.
 *
 * <p>Payloads are ASCII (other characters are written as JSON escapes), so their length in bytes does not
 * depend on the server's encoding, and shorter than {@value #MAX_PAYLOAD_BYTES} + 1 bytes, PostgreSQL's
 * limit. A change that does not fit degrades to one that makes receivers drop more, never less: an
 * {@link ImageRemoved} loses its tag list (receivers then drop every cached tag naming the digest), a
 * {@link RepositoryUpdated} its name (receivers find the name entries by id), anything else becomes
 * {@code all}. Thread-safe.
 */
public final class ChangeFeedCodec {

    /** The longest payload PostgreSQL accepts: {@code pg_notify} refuses 8000 bytes and more. */
    public static final int MAX_PAYLOAD_BYTES = 7999;

    /** The longest node id, so that every change can at least degrade to a payload that fits. */
    public static final int MAX_NODE_LENGTH = 64;

    /**
     * A decoded notification: the node that sent it, and its change, or empty for "everything may have
     * changed".
     */
    public record Notice(String node, Optional<CatalogChange> change) {
        public Notice {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(change, "change");
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final String node;

    /**
     * A codec whose payloads name {@code node}.
     *
     * @throws IllegalArgumentException if {@code node} is empty or longer than {@value #MAX_NODE_LENGTH}
     */
    public ChangeFeedCodec(String node) {
        Objects.requireNonNull(node, "node");
        if (node.isEmpty() || node.length() > MAX_NODE_LENGTH) {
            throw new IllegalArgumentException("a node id has 1 to " + MAX_NODE_LENGTH + " characters: " + node.length());
        }
        this.node = node;
    }

    /** This codec's node id. */
    public String node() {
        return node;
    }

    /** {@code change} as a payload of at most {@value #MAX_PAYLOAD_BYTES} bytes, degraded if it does not fit. */
    public String encode(CatalogChange change) {
        String full = write(change);
        if (full.length() <= MAX_PAYLOAD_BYTES) {
            return full;
        }
        CatalogChange wider = switch (change) {
            case ImageRemoved c when c.tags() != null -> new ImageRemoved(c.repository(), c.digest(), null);
            case RepositoryUpdated c when c.name() != null -> new RepositoryUpdated(c.id(), null);
            default -> null;
        };
        String degraded = wider == null ? null : write(wider);
        return degraded != null && degraded.length() <= MAX_PAYLOAD_BYTES ? degraded : encodeEverything();
    }

    /** The payload saying "everything may have changed". */
    public String encodeEverything() {
        return envelope("all").toString();
    }

    /**
     * Reads a payload.
     *
     * @throws IllegalArgumentException if it is not one this codec writes (garbled, or of a kind this
     *     version does not know); the receiver must then assume everything changed
     */
    public static Notice decode(String payload) {
        try {
            JsonNode n = JSON.readTree(Objects.requireNonNull(payload, "payload"));
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            String node = text(n, "node");
            String kind = text(n, "kind");
            CatalogChange change = switch (kind) {
                case "all" -> null;
                case "repoCreated" -> new RepositoryCreated(text(n, "name"));
                case "repoUpdated" -> new RepositoryUpdated(number(n, "id"), n.has("name") ? text(n, "name") : null);
                case "repoDeleted" -> new RepositoryDeleted(number(n, "id"));
                case "link" -> new LinkChanged(number(n, "repo"), digest(n));
                case "links" -> new LinksRemoved(digest(n));
                case "image" -> new ImageChanged(number(n, "repo"), digest(n));
                case "imageRemoved" -> new ImageRemoved(number(n, "repo"), digest(n), n.has("tags") ? texts(n, "tags") : null);
                case "tag" -> new TagChanged(number(n, "repo"), text(n, "tag"));
                default -> throw new IllegalArgumentException("unknown kind " + kind);
            };
            return new Notice(node, Optional.ofNullable(change));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("garbled change notification: " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("garbled change notification: " + e.getMessage(), e);
        }
    }

    private String write(CatalogChange change) {
        ObjectNode o = switch (change) {
            case RepositoryCreated c -> envelope("repoCreated").put("name", c.name());
            case RepositoryUpdated c -> {
                ObjectNode e = envelope("repoUpdated").put("id", c.id());
                yield c.name() == null ? e : e.put("name", c.name());
            }
            case RepositoryDeleted c -> envelope("repoDeleted").put("id", c.id());
            case LinkChanged c -> envelope("link").put("repo", c.repository()).put("digest", c.digest().toString());
            case LinksRemoved c -> envelope("links").put("digest", c.digest().toString());
            case ImageChanged c -> envelope("image").put("repo", c.repository()).put("digest", c.digest().toString());
            case ImageRemoved c -> {
                ObjectNode e = envelope("imageRemoved").put("repo", c.repository()).put("digest", c.digest().toString());
                if (c.tags() != null) {
                    ArrayNode tags = e.putArray("tags");
                    c.tags().forEach(tags::add);
                }
                yield e;
            }
            case TagChanged c -> envelope("tag").put("repo", c.repository()).put("tag", c.tag());
        };
        try {
            return JSON.writeValueAsString(o);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    private ObjectNode envelope(String kind) {
        return JSON.createObjectNode().put("node", node).put("kind", kind);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("no text field " + field);
        }
        return v.textValue();
    }

    private static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("no integer field " + field);
        }
        return v.longValue();
    }

    private static Digest digest(JsonNode n) {
        return Digest.parse(text(n, "digest"));
    }

    private static List<String> texts(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (!v.isArray()) {
            throw new IllegalArgumentException("no array field " + field);
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException("a non-text element in " + field);
            }
            out.add(e.textValue());
        }
        return out;
    }
}
