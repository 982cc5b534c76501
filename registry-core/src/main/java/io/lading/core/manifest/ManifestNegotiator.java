package io.lading.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.digest.Digest;
import io.lading.core.mediatype.MediaTypes;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses what to send for a manifest pulled by tag, following ECR (spec: ecr-behaviour.md 6.2): the
 * stored bytes when the client accepts their type, accepts anything, or sent no preference; otherwise a
 * conversion between OCI image manifest and Docker schema 2 when one exists; otherwise the stored bytes
 * (never 406). Indexes and manifest lists are never converted. Conversions are serialised
 * deterministically, so their digest is stable, and cached per (digest, target type). Thread-safe.
 */
public final class ManifestNegotiator {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int CACHE_LIMIT = 4096;

    private static final Map<String, String> OCI_TO_DOCKER_LAYER = Map.of(
            "application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "application/vnd.oci.image.layer.v1.tar", "application/vnd.docker.image.rootfs.diff.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
    private static final Map<String, String> DOCKER_TO_OCI_LAYER = Map.of(
            "application/vnd.docker.image.rootfs.diff.tar.gzip", "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.docker.image.rootfs.diff.tar", "application/vnd.oci.image.layer.v1.tar",
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");

    private final ConcurrentHashMap<String, ManifestContent> conversions = new ConcurrentHashMap<>();

    /** What to send for {@code stored}, given the client's acceptable types. */
    public ManifestContent negotiate(ManifestContent stored, List<String> accepted) {
        if (accepted.isEmpty() || MediaTypes.INDEXES.contains(stored.mediaType())) {
            return stored;
        }
        boolean dockerOk = false;
        boolean ociOk = false;
        for (String a : accepted) {
            String type = MediaTypes.essence(a);
            if (type.equals(stored.mediaType()) || type.equals("*/*") || type.equals("application/*")) {
                return stored;
            }
            dockerOk |= type.equals(MediaTypes.DOCKER_MANIFEST);
            ociOk |= type.equals(MediaTypes.OCI_MANIFEST);
        }
        String target;
        if (dockerOk && stored.mediaType().equals(MediaTypes.OCI_MANIFEST)) {
            target = MediaTypes.DOCKER_MANIFEST;
        } else if (ociOk && stored.mediaType().equals(MediaTypes.DOCKER_MANIFEST)) {
            target = MediaTypes.OCI_MANIFEST;
        } else {
            return stored;
        }
        String key = stored.digest() + "|" + target;
        ManifestContent cached = conversions.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<ManifestContent> converted = convert(stored, target);
        if (converted.isEmpty()) {
            return stored;
        }
        if (conversions.size() >= CACHE_LIMIT) {
            conversions.clear();
        }
        conversions.put(key, converted.get());
        return converted.get();
    }

    /** Converts between OCI image manifest and Docker schema 2, or empty when no faithful conversion exists. */
    static Optional<ManifestContent> convert(ManifestContent stored, String target) {
        JsonNode root;
        try {
            root = JSON.readTree(stored.bytes());
        } catch (IOException e) {
            return Optional.empty();
        }
        boolean toDocker = target.equals(MediaTypes.DOCKER_MANIFEST);
        if (toDocker && (root.hasNonNull("subject") || root.hasNonNull("artifactType"))) {
            return Optional.empty();
        }
        JsonNode config = root.path("config");
        String configType = config.path("mediaType").asText();
        String expectedConfig = toDocker ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG;
        if (!configType.equals(expectedConfig)) {
            return Optional.empty();
        }
        Map<String, String> layerMap = toDocker ? OCI_TO_DOCKER_LAYER : DOCKER_TO_OCI_LAYER;
        ObjectNode out = JSON.createObjectNode();
        out.put("schemaVersion", 2);
        out.put("mediaType", target);
        out.set("config", descriptor(config, toDocker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG));
        ArrayNode layers = out.putArray("layers");
        for (JsonNode layer : root.path("layers")) {
            String mapped = layerMap.get(layer.path("mediaType").asText());
            if (mapped == null) {
                return Optional.empty();
            }
            layers.add(descriptor(layer, mapped));
        }
        try {
            byte[] bytes = JSON.writeValueAsBytes(out);
            return Optional.of(new ManifestContent(Digest.sha256(bytes), target, bytes));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode descriptor(JsonNode source, String mediaType) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("size", source.path("size").asLong());
        d.put("digest", source.path("digest").asText());
        if (source.has("urls")) {
            d.set("urls", source.get("urls"));
        }
        return d;
    }
}
