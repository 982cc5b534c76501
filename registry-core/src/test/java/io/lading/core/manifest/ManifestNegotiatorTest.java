package io.lading.core.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.core.digest.Digest;
import io.lading.core.mediatype.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestNegotiatorTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static final String D1 = "sha256:" + "1".repeat(64);
    static final String D2 = "sha256:" + "2".repeat(64);
    static final String D3 = "sha256:" + "3".repeat(64);
    static final String D4 = "sha256:" + "4".repeat(64);

    static final String OCI_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String OCI_TAR = "application/vnd.oci.image.layer.v1.tar";
    static final String OCI_NONDIST = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    static final String OCI_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    static final String DOCKER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    static final String DOCKER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
    static final String DOCKER_FOREIGN = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    static final String URL = "https://example.com/blobs/" + D4;

    static String ociManifest(String configType, String layerType, String extra) {
        return "{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"" + MediaTypes.OCI_MANIFEST + "\",\n"
                + "  \"config\": {\"mediaType\": \"" + configType + "\", \"digest\": \"" + D1 + "\", \"size\": 100,"
                + " \"annotations\": {\"c\": \"d\"}},\n"
                + "  \"layers\": [\n"
                + "    {\"mediaType\": \"" + layerType + "\", \"digest\": \"" + D2 + "\", \"size\": 200,"
                + " \"annotations\": {\"org.opencontainers.image.title\": \"x.tgz\"}},\n"
                + "    {\"mediaType\": \"" + OCI_TAR + "\", \"digest\": \"" + D3 + "\", \"size\": 300},\n"
                + "    {\"mediaType\": \"" + OCI_NONDIST + "\", \"digest\": \"" + D4 + "\", \"size\": 400,"
                + " \"urls\": [\"" + URL + "\"]}\n"
                + "  ],\n  \"annotations\": {\"a\": \"b\"}" + extra + "\n}\n";
    }

    static String ociImage() {
        return ociManifest(MediaTypes.OCI_CONFIG, OCI_GZIP, "");
    }

    static String dockerManifest(String configType, String layerType) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + configType + "\",\"size\":100,\"digest\":\"" + D1 + "\"},"
                + "\"layers\":[{\"mediaType\":\"" + layerType + "\",\"size\":200,\"digest\":\"" + D2 + "\"},"
                + "{\"mediaType\":\"" + DOCKER_TAR + "\",\"size\":300,\"digest\":\"" + D3 + "\"},"
                + "{\"mediaType\":\"" + DOCKER_FOREIGN + "\",\"size\":400,\"digest\":\"" + D4 + "\",\"urls\":[\"" + URL + "\"]}]}";
    }

    static String dockerImage() {
        return dockerManifest(MediaTypes.DOCKER_CONFIG, DOCKER_GZIP);
    }

    static String index(String type) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + type + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D1 + "\",\"size\":1}]}";
    }

    static ManifestContent stored(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String type = new ManifestParser(1 << 20).parse(bytes, null).mediaType();
        return new ManifestContent(Digest.sha256(bytes), type, bytes);
    }

    static ManifestContent storedRaw(String body, String type) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new ManifestContent(Digest.sha256(bytes), type, bytes);
    }

    // ---------------------------------------------------------------- stored bytes returned unchanged

    static Stream<Arguments> returnsStored() {
        List<Arguments> out = new ArrayList<>();
        for (String body : List.of(ociImage(), dockerImage())) {
            String type = stored(body).mediaType();
            out.add(Arguments.of(body, List.of(), "no Accept"));
            out.add(Arguments.of(body, List.of(type), "stored type accepted"));
            out.add(Arguments.of(body, List.of(type.toUpperCase() + "; q=0.5"), "stored type with parameters"));
            out.add(Arguments.of(body, List.of(MediaTypes.DOCKER_MANIFEST, MediaTypes.OCI_MANIFEST), "both accepted"));
            out.add(Arguments.of(body, List.of(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST), "both, other order"));
            out.add(Arguments.of(body, List.of("*/*"), "*/*"));
            out.add(Arguments.of(body, List.of("*/*; q=0.1"), "*/* with q"));
            out.add(Arguments.of(body, List.of("application/*"), "application/*"));
            out.add(Arguments.of(body, List.of("application/json"), "nothing convertible"));
            out.add(Arguments.of(body, List.of(MediaTypes.DOCKER_SCHEMA1, MediaTypes.DOCKER_SCHEMA1_SIGNED), "schema 1 only"));
            out.add(Arguments.of(body, List.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST), "indexes only"));
            out.add(Arguments.of(body, List.of("", " ", ";"), "blank entries"));
        }
        for (String t : List.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST)) {
            // indexes are never converted, whatever the client accepts
            out.add(Arguments.of(index(t), List.of(MediaTypes.DOCKER_MANIFEST), "index, Docker accepted"));
            out.add(Arguments.of(index(t), List.of(MediaTypes.OCI_MANIFEST), "index, OCI accepted"));
            out.add(Arguments.of(index(t), List.of(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST), "index, both"));
            out.add(Arguments.of(index(t), List.of(MediaTypes.DOCKER_MANIFEST_LIST.equals(t)
                    ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_MANIFEST_LIST), "index, the other index type"));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("returnsStored")
    void returnsStoredBytesUnchanged(String body, List<String> accepted, String why) {
        ManifestContent s = stored(body);
        ManifestContent got = new ManifestNegotiator().negotiate(s, accepted);
        assertSame(s, got, why);
    }

    static Stream<Arguments> notConvertible() {
        return Stream.of(
                Arguments.of(ociManifest(MediaTypes.OCI_CONFIG, OCI_GZIP,
                        ",\n  \"artifactType\": \"application/vnd.example+json\""), MediaTypes.DOCKER_MANIFEST, "artifactType"),
                Arguments.of(ociManifest(MediaTypes.OCI_CONFIG, OCI_GZIP, ",\n  \"subject\": {\"mediaType\": \""
                        + MediaTypes.OCI_MANIFEST + "\", \"digest\": \"" + D4 + "\", \"size\": 9}"),
                        MediaTypes.DOCKER_MANIFEST, "subject"),
                Arguments.of(ociManifest(MediaTypes.OCI_CONFIG, OCI_ZSTD, ""), MediaTypes.DOCKER_MANIFEST, "zstd layer"),
                Arguments.of(ociManifest(MediaTypes.OCI_CONFIG, "application/vnd.oci.image.layer.v1.tar+gzip; x=y", ""),
                        MediaTypes.DOCKER_MANIFEST, "layer type with parameters"),
                Arguments.of(ociManifest("application/vnd.cncf.helm.config.v1+json",
                        "application/vnd.cncf.helm.chart.content.v1.tar+gzip", ""), MediaTypes.DOCKER_MANIFEST, "helm chart"),
                Arguments.of(ociManifest(MediaTypes.OCI_EMPTY, OCI_GZIP, ""), MediaTypes.DOCKER_MANIFEST, "empty config"),
                Arguments.of(ociManifest(MediaTypes.DOCKER_CONFIG, OCI_GZIP, ""), MediaTypes.DOCKER_MANIFEST,
                        "OCI manifest with Docker config type"),
                Arguments.of(ociManifest(MediaTypes.OCI_CONFIG, DOCKER_GZIP, ""), MediaTypes.DOCKER_MANIFEST,
                        "OCI manifest with Docker layer type"),
                Arguments.of(dockerManifest(MediaTypes.OCI_CONFIG, DOCKER_GZIP), MediaTypes.OCI_MANIFEST,
                        "Docker manifest with OCI config type"),
                Arguments.of(dockerManifest("application/vnd.example.config+json", DOCKER_GZIP), MediaTypes.OCI_MANIFEST,
                        "Docker manifest with foreign config type"),
                Arguments.of(dockerManifest(MediaTypes.DOCKER_CONFIG, "application/vnd.docker.plugin.v1+json"),
                        MediaTypes.OCI_MANIFEST, "Docker plugin layer"),
                Arguments.of(dockerManifest(MediaTypes.DOCKER_CONFIG, OCI_ZSTD), MediaTypes.OCI_MANIFEST,
                        "Docker manifest with zstd layer"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("notConvertible")
    void returnsStoredWhenNoFaithfulConversionExists(String body, String accepted, String why) {
        ManifestContent s = stored(body);
        ManifestNegotiator negotiator = new ManifestNegotiator();
        assertSame(s, negotiator.negotiate(s, List.of(accepted)), why);
        assertSame(s, negotiator.negotiate(s, List.of(accepted)), why + " (second call)");
    }

    @Test
    void returnsStoredWhenStoredBytesAreNotJson() {
        ManifestContent s = storedRaw("{not json", MediaTypes.OCI_MANIFEST);
        assertSame(s, new ManifestNegotiator().negotiate(s, List.of(MediaTypes.DOCKER_MANIFEST)));
    }

    @Test
    void neverConvertsSchema1() {
        ManifestContent s = storedRaw("{\"schemaVersion\":1,\"fsLayers\":[]}", MediaTypes.DOCKER_SCHEMA1);
        ManifestNegotiator n = new ManifestNegotiator();
        assertSame(s, n.negotiate(s, List.of(MediaTypes.DOCKER_MANIFEST)));
        assertSame(s, n.negotiate(s, List.of(MediaTypes.OCI_MANIFEST)));
    }

    // ---------------------------------------------------------------- OCI -> Docker

    @Test
    void convertsOciToDockerWhenOnlyDockerIsAccepted() throws Exception {
        ManifestContent s = stored(ociImage());
        ManifestContent got = new ManifestNegotiator().negotiate(s,
                List.of(MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, "application/json;q=0.1"));
        assertEquals(MediaTypes.DOCKER_MANIFEST, got.mediaType());
        assertEquals(Digest.sha256(got.bytes()), got.digest(), "digest over exactly the bytes sent");
        assertNotEquals(s.digest(), got.digest());

        JsonNode root = JSON.readTree(got.bytes());
        assertEquals(2, root.get("schemaVersion").intValue());
        assertEquals(MediaTypes.DOCKER_MANIFEST, root.get("mediaType").asText());
        assertEquals(MediaTypes.DOCKER_CONFIG, root.at("/config/mediaType").asText());
        assertEquals(D1, root.at("/config/digest").asText());
        assertEquals(100, root.at("/config/size").longValue());
        assertEquals(List.of(DOCKER_GZIP, DOCKER_TAR, DOCKER_FOREIGN), layerField(root, "mediaType"));
        assertEquals(List.of(D2, D3, D4), layerField(root, "digest"), "blob digests unchanged");
        assertEquals(List.of("200", "300", "400"), layerField(root, "size"));
        assertEquals(URL, root.at("/layers/2/urls/0").asText(), "foreign layers keep their urls");
        assertFalse(root.at("/layers/0").has("urls"));
        assertFalse(new String(got.bytes(), StandardCharsets.UTF_8).contains("annotations"), "annotations dropped");
        assertFalse(root.has("artifactType"));
        assertFalse(root.has("subject"));
        assertNoInsignificantWhitespace(got.bytes());

        // the converted manifest is itself a valid Docker manifest referencing the same blobs
        Manifest reparsed = new ManifestParser(1 << 20).parse(got.bytes(), MediaTypes.DOCKER_MANIFEST);
        Manifest original = new ManifestParser(1 << 20).parse(s.bytes(), null);
        assertEquals(original.referencedBlobs(), reparsed.referencedBlobs());
        assertEquals(original.contentSize(), reparsed.contentSize());
    }

    @Test
    void convertsDockerToOciWhenOnlyOciIsAccepted() throws Exception {
        ManifestContent s = stored(dockerImage());
        ManifestContent got = new ManifestNegotiator().negotiate(s, List.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX));
        assertEquals(MediaTypes.OCI_MANIFEST, got.mediaType());
        assertEquals(Digest.sha256(got.bytes()), got.digest());
        JsonNode root = JSON.readTree(got.bytes());
        assertEquals(MediaTypes.OCI_MANIFEST, root.get("mediaType").asText());
        assertEquals(MediaTypes.OCI_CONFIG, root.at("/config/mediaType").asText());
        assertEquals(List.of(OCI_GZIP, OCI_TAR, OCI_NONDIST), layerField(root, "mediaType"));
        assertEquals(List.of(D2, D3, D4), layerField(root, "digest"));
        assertEquals(URL, root.at("/layers/2/urls/0").asText());
        assertNoInsignificantWhitespace(got.bytes());
        Manifest reparsed = new ManifestParser(1 << 20).parse(got.bytes(), MediaTypes.OCI_MANIFEST);
        assertEquals(MediaTypes.OCI_CONFIG, reparsed.artifactType());
    }

    @Test
    void roundTripOciDockerOciReachesAFixedPoint() {
        ManifestNegotiator n = new ManifestNegotiator();
        ManifestContent docker = n.negotiate(stored(ociImage()), List.of(MediaTypes.DOCKER_MANIFEST));
        ManifestContent oci = n.negotiate(docker, List.of(MediaTypes.OCI_MANIFEST));
        ManifestContent docker2 = n.negotiate(oci, List.of(MediaTypes.DOCKER_MANIFEST));
        assertArrayEquals(docker.bytes(), docker2.bytes());
        assertEquals(docker.digest(), docker2.digest());
    }

    static Stream<Arguments> conversions() {
        return Stream.of(
                Arguments.of(ociImage(), MediaTypes.DOCKER_MANIFEST),
                Arguments.of(dockerImage(), MediaTypes.OCI_MANIFEST));
    }

    @ParameterizedTest
    @MethodSource("conversions")
    void conversionIsDeterministic(String body, String target) {
        ManifestContent s = stored(body);
        ManifestNegotiator n = new ManifestNegotiator();
        ManifestContent first = n.negotiate(s, List.of(target));
        ManifestContent again = n.negotiate(s, List.of(target));
        ManifestContent fresh = new ManifestNegotiator().negotiate(stored(body), List.of(target));
        assertArrayEquals(first.bytes(), again.bytes());
        assertArrayEquals(first.bytes(), fresh.bytes(), "same bytes from an empty cache");
        assertEquals(first.digest(), fresh.digest());
        assertEquals(target, fresh.mediaType());
    }

    @Test
    void conversionIgnoresFormattingAndAnnotationsOfTheStoredManifest() {
        String compact = ociImage().replace("\n", "").replace("  ", "").replace(": ", ":").replace(", ", ",");
        String noAnnotations = ociImage().replace(",\n  \"annotations\": {\"a\": \"b\"}", "");
        ManifestNegotiator n = new ManifestNegotiator();
        byte[] a = n.negotiate(stored(ociImage()), List.of(MediaTypes.DOCKER_MANIFEST)).bytes();
        byte[] b = n.negotiate(stored(compact), List.of(MediaTypes.DOCKER_MANIFEST)).bytes();
        byte[] c = n.negotiate(stored(noAnnotations), List.of(MediaTypes.DOCKER_MANIFEST)).bytes();
        assertNotEquals(stored(ociImage()).digest(), stored(compact).digest());
        assertArrayEquals(a, b);
        assertArrayEquals(a, c);
    }

    @Test
    void convertedDigestDiffersPerTargetAndIsCachedPerStoredDigest() {
        ManifestNegotiator n = new ManifestNegotiator();
        ManifestContent fromOci = n.negotiate(stored(ociImage()), List.of(MediaTypes.DOCKER_MANIFEST));
        ManifestContent fromDocker = n.negotiate(stored(dockerImage()), List.of(MediaTypes.OCI_MANIFEST));
        assertEquals(MediaTypes.DOCKER_MANIFEST, fromOci.mediaType());
        assertEquals(MediaTypes.OCI_MANIFEST, fromDocker.mediaType());
        // a second, different OCI manifest must not be served the first one's cached conversion
        String other = ociImage().replace("\"size\": 300", "\"size\": 301");
        ManifestContent otherConverted = n.negotiate(stored(other), List.of(MediaTypes.DOCKER_MANIFEST));
        assertNotEquals(fromOci.digest(), otherConverted.digest());
    }

    private static List<String> layerField(JsonNode root, String field) {
        List<String> out = new ArrayList<>();
        root.get("layers").forEach(l -> out.add(l.get(field).asText()));
        return out;
    }

    private static void assertNoInsignificantWhitespace(byte[] bytes) {
        boolean inString = false;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '"' && (i == 0 || bytes[i - 1] != '\\')) {
                inString = !inString;
            } else if (!inString) {
                assertTrue(b != ' ' && b != '\n' && b != '\r' && b != '\t', "whitespace at " + i);
            }
        }
    }
}
