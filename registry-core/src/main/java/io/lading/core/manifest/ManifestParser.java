package io.lading.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.RegistrySettings;
import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException;
import io.lading.core.error.RegistryException.ManifestInvalid;
import io.lading.core.error.RegistryException.ManifestUnsupported;
import io.lading.core.mediatype.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates pushed manifests (Docker schema 2, manifest list, OCI manifest and index, OCI
 * 1.1 artifacts, legacy schema 1). Stateless and thread-safe.
 *
 * <p>The type comes from the declared content type and the manifest's own {@code mediaType} member;
 * when both are present they must agree. A body that is not a JSON object, or whose type cannot be
 * determined, is {@link ManifestUnsupported} (ECR answers 405 so clients fall back to another format).
 *
 * <p>A document must be one kind: an image manifest carrying {@code manifests}, or an index carrying
 * {@code config} or {@code layers}, is {@link ManifestInvalid}, whatever its declared type (a client
 * reading it by its fields could take it for the other kind). A member that is {@code null} counts as
 * absent. A key repeated in any object of the document is {@link ManifestInvalid} too.
 */
public final class ManifestParser {

    /** ECR's wording for an unparseable or untyped manifest. */
    public static final String INVALID_JSON =
            "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'";

    /** Strict: a key twice in one object (at any depth) fails, as trailing content after the object does. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /**
     * Reads only bodies that {@link #JSON} refused, to tell a duplicate key from broken JSON: Jackson
     * reports both as the same parse exception.
     */
    private static final ObjectMapper WITHOUT_DUPLICATE_DETECTION = JSON.rebuild()
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final int maxBytes;
    private final int maxDescriptors;

    /** A parser with the default descriptor limit ({@link RegistrySettings#DEFAULT_MANIFEST_MAX_DESCRIPTORS}). */
    public ManifestParser(int maxBytes) {
        this(maxBytes, RegistrySettings.DEFAULT_MANIFEST_MAX_DESCRIPTORS);
    }

    /**
     * @param maxDescriptors most descriptors a manifest may carry: config, layers (schema 1: fsLayers),
     *     manifests and subject together ({@link RegistrySettings#manifestMaxDescriptors()})
     */
    public ManifestParser(int maxBytes, int maxDescriptors) {
        this.maxBytes = maxBytes;
        this.maxDescriptors = maxDescriptors;
    }

    /**
     * Parses {@code bytes}.
     *
     * @param declaredType the Content-Type (or PutImage media type) the client sent, may be null
     * @throws ManifestInvalid, ManifestUnsupported as described in the class comment
     */
    public Manifest parse(byte[] bytes, String declaredType) {
        if (bytes.length > maxBytes) {
            throw new ManifestInvalid("manifest is " + bytes.length + " bytes; the maximum is " + maxBytes);
        }
        if (!plainUtf8(bytes)) {
            throw new ManifestUnsupported(INVALID_JSON);
        }
        JsonNode root = readTree(bytes);
        if (root == null || !root.isObject()) {
            throw new ManifestUnsupported(INVALID_JSON);
        }
        requireOneKind(root);
        requireFewDescriptors(root);
        String type = determineType(root, declaredType);
        try {
            if (MediaTypes.SCHEMA1.contains(type)) {
                return parseSchema1(bytes, root, type);
            }
            requireSchemaVersion2(root);
            if (MediaTypes.INDEXES.contains(type)) {
                return parseIndex(bytes, root, type);
            }
            return parseImage(bytes, root, type);
        } catch (RegistryException.DigestInvalid e) {
            throw new ManifestInvalid("invalid digest in manifest: " + e.getMessage());
        }
    }

    /**
     * Reads the body strictly. Broken JSON is {@link ManifestUnsupported}; JSON that is well formed but
     * repeats a key is {@link ManifestInvalid}: which copy a reader keeps is up to the reader, so a
     * registry that validated one copy could serve another.
     */
    private static JsonNode readTree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException strict) {
            try {
                WITHOUT_DUPLICATE_DETECTION.readTree(bytes);
            } catch (IOException e) {
                throw new ManifestUnsupported(INVALID_JSON);
            }
            String why = strict instanceof JsonProcessingException j ? j.getOriginalMessage() : strict.getMessage();
            throw new ManifestInvalid("manifest JSON repeats a key: " + why);
        }
    }

    /**
     * Manifests must be UTF-8 JSON. Jackson would also accept UTF-16 and UTF-32 (detected by their zero
     * bytes or byte-order mark), which Go clients cannot read; UTF-8 JSON never contains a zero byte.
     */
    private static boolean plainUtf8(byte[] bytes) {
        if (bytes.length > 0 && ((bytes[0] & 0xff) == 0xfe || (bytes[0] & 0xff) == 0xff)) {
            return false;
        }
        for (byte b : bytes) {
            if (b == 0) {
                return false;
            }
        }
        return true;
    }

    private static String determineType(JsonNode root, String declaredType) {
        String declared = MediaTypes.essence(declaredType);
        if (!MediaTypes.isManifest(declared)) {
            declared = "";
        }
        JsonNode member = root.get("mediaType");
        if (member != null && !member.isTextual()) {
            throw new ManifestInvalid("mediaType must be a string");
        }
        String own = member == null ? "" : MediaTypes.essence(member.asText());
        if (!own.isEmpty()) {
            if (!MediaTypes.isManifest(own)) {
                throw new ManifestUnsupported(INVALID_JSON);
            }
            if (!declared.isEmpty() && !declared.equals(own)) {
                throw new ManifestInvalid("manifest mediaType " + own + " does not match Content-Type " + declared);
            }
            return own;
        }
        if (!declared.isEmpty()) {
            return declared;
        }
        if (root.path("schemaVersion").asInt() == 1) {
            return root.has("signatures") ? MediaTypes.DOCKER_SCHEMA1_SIGNED : MediaTypes.DOCKER_SCHEMA1;
        }
        throw new ManifestUnsupported(INVALID_JSON);
    }

    private static final List<String> IMAGE_MEMBERS = List.of("config", "layers");
    private static final String INDEX_MEMBER = "manifests";

    /**
     * Refuses a document that carries both an index's and an image manifest's members. (One that carries
     * only the other kind's members fails that kind's required members.)
     */
    private static void requireOneKind(JsonNode root) {
        if (present(root, INDEX_MEMBER) && IMAGE_MEMBERS.stream().anyMatch(m -> present(root, m))) {
            throw new ManifestInvalid("a manifest cannot be both an image manifest (config, layers) and an index "
                    + "(manifests)");
        }
    }

    /**
     * Refuses a manifest with more than {@code maxDescriptors} descriptors, counted from the array sizes
     * before any descriptor is read.
     */
    private void requireFewDescriptors(JsonNode root) {
        int count = 0;
        for (String array : List.of("layers", "manifests", "fsLayers")) {
            JsonNode n = root.get(array);
            if (n != null && n.isArray()) {
                count += n.size();
            }
        }
        for (String single : List.of("config", "subject")) {
            if (present(root, single)) {
                count++;
            }
        }
        if (count > maxDescriptors) {
            throw new ManifestInvalid("manifest has " + count + " descriptors (config, layers, manifests and subject"
                    + " together); the maximum is " + maxDescriptors + " (" + RegistrySettings.MANIFEST_MAX_DESCRIPTORS_KEY
                    + ")");
        }
    }

    private static boolean present(JsonNode root, String member) {
        JsonNode n = root.get(member);
        return n != null && !n.isNull();
    }

    private static void requireSchemaVersion2(JsonNode root) {
        JsonNode v = root.get("schemaVersion");
        if (v == null || !v.isInt() || v.asInt() != 2) {
            throw new ManifestInvalid("schemaVersion must be 2");
        }
    }

    private static Manifest parseImage(byte[] bytes, JsonNode root, String type) {
        JsonNode configNode = root.get("config");
        if (configNode == null || !configNode.isObject()) {
            throw new ManifestInvalid("an image manifest needs a config descriptor");
        }
        Descriptor config = descriptor(configNode, "config");
        List<Descriptor> layers = descriptors(root, "layers", true);
        Descriptor subject = optionalSubject(root);
        String artifactType = text(root, "artifactType");
        if (artifactType != null && !MediaTypes.isValid(artifactType)) {
            throw new ManifestInvalid("artifactType is not a valid media type");
        }
        if (artifactType == null && MediaTypes.OCI_MANIFEST.equals(type)) {
            artifactType = config.mediaType();
        }
        return new Manifest(Digest.sha256(bytes), type, bytes, config, layers, List.of(), subject, artifactType,
                annotations(root));
    }

    private static Manifest parseIndex(byte[] bytes, JsonNode root, String type) {
        List<Descriptor> children = descriptors(root, "manifests", true);
        Descriptor subject = optionalSubject(root);
        String artifactType = text(root, "artifactType");
        if (artifactType != null && !MediaTypes.isValid(artifactType)) {
            throw new ManifestInvalid("artifactType is not a valid media type");
        }
        return new Manifest(Digest.sha256(bytes), type, bytes, null, List.of(), children, subject, artifactType,
                annotations(root));
    }

    private static Manifest parseSchema1(byte[] bytes, JsonNode root, String type) {
        JsonNode fsLayers = root.get("fsLayers");
        if (fsLayers == null || !fsLayers.isArray()) {
            throw new ManifestInvalid("a schema 1 manifest needs fsLayers");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : fsLayers) {
            String sum = text(l, "blobSum");
            if (sum == null) {
                throw new ManifestInvalid("fsLayers entry without blobSum");
            }
            layers.add(new Descriptor("application/vnd.docker.container.image.rootfs.diff+x-gtar",
                    Digest.parse(sum), -1, null, null, null, null));
        }
        byte[] canonical = root.has("signatures") ? schema1Payload(bytes, root) : bytes;
        return new Manifest(Digest.sha256(canonical), type, bytes, null, layers, List.of(), null, null, Map.of());
    }

    /** The signed payload of a JWS schema 1 manifest: the bytes up to formatLength plus formatTail. */
    private static byte[] schema1Payload(byte[] bytes, JsonNode root) {
        try {
            JsonNode sig = root.get("signatures").get(0);
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(sig.get("protected").asText()));
            int formatLength = header.get("formatLength").asInt();
            byte[] tail = Base64.getUrlDecoder().decode(header.get("formatTail").asText());
            if (formatLength < 0 || formatLength > bytes.length) {
                throw new ManifestInvalid("schema 1 signature formatLength out of range");
            }
            byte[] out = new byte[formatLength + tail.length];
            System.arraycopy(bytes, 0, out, 0, formatLength);
            System.arraycopy(tail, 0, out, formatLength, tail.length);
            return out;
        } catch (RuntimeException | IOException e) {
            if (e instanceof ManifestInvalid mi) {
                throw mi;
            }
            throw new ManifestInvalid("malformed schema 1 signature");
        }
    }

    private static Descriptor optionalSubject(JsonNode root) {
        JsonNode s = root.get("subject");
        if (s == null || s.isNull()) {
            return null;
        }
        if (!s.isObject()) {
            throw new ManifestInvalid("subject must be a descriptor");
        }
        return descriptor(s, "subject");
    }

    private static List<Descriptor> descriptors(JsonNode root, String field, boolean required) {
        JsonNode arr = root.get(field);
        if (arr == null || arr.isNull()) {
            if (required) {
                throw new ManifestInvalid("manifest needs a " + field + " array");
            }
            return List.of();
        }
        if (!arr.isArray()) {
            throw new ManifestInvalid(field + " must be an array");
        }
        List<Descriptor> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            out.add(descriptor(arr.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new ManifestInvalid(where + " must be a descriptor object");
        }
        String mediaType = text(node, "mediaType");
        if (mediaType == null || !MediaTypes.isValid(mediaType)) {
            throw new ManifestInvalid(where + ".mediaType is missing or not a valid media type");
        }
        String digest = text(node, "digest");
        if (digest == null) {
            throw new ManifestInvalid(where + ".digest is missing");
        }
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
            throw new ManifestInvalid(where + ".size must be a non-negative integer");
        }
        List<String> urls = new ArrayList<>();
        JsonNode u = node.get("urls");
        if (u != null && u.isArray()) {
            u.forEach(x -> urls.add(x.asText()));
        }
        Map<String, Object> platform = null;
        JsonNode p = node.get("platform");
        if (p != null && p.isObject()) {
            platform = JSON.convertValue(p, JSON.getTypeFactory().constructMapType(LinkedHashMap.class,
                    String.class, Object.class));
        }
        String artifactType = text(node, "artifactType");
        return new Descriptor(mediaType, Digest.parse(digest), size.asLong(), artifactType, urls, annotations(node),
                platform);
    }

    private static Map<String, String> annotations(JsonNode node) {
        JsonNode a = node.get("annotations");
        if (a == null || !a.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        a.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** Serialises {@code value} as compact JSON (for responses built from descriptors). */
    public static byte[] toJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode newObject() {
        return JSON.createObjectNode();
    }
}
