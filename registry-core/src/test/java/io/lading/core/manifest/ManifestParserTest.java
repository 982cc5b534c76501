package io.lading.core.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException;
import io.lading.core.error.RegistryException.ManifestInvalid;
import io.lading.core.error.RegistryException.ManifestUnsupported;
import io.lading.core.mediatype.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestParserTest {

    static final int MAX = 64 * 1024;
    static final ManifestParser PARSER = new ManifestParser(MAX);

    static final String D1 = "sha256:" + "1".repeat(64);
    static final String D2 = "sha256:" + "2".repeat(64);
    static final String D3 = "sha256:" + "3".repeat(64);
    static final String D4 = "sha256:" + "4".repeat(64);

    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    static final String DOCKER_FOREIGN = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    static String desc(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    static String docker(String extra) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":"
                + desc(MediaTypes.DOCKER_CONFIG, D1, 100) + ",\"layers\":[" + desc(DOCKER_LAYER, D2, 200) + ","
                + desc(DOCKER_LAYER, D3, 300) + "]" + extra + "}";
    }

    static String oci(String extra) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + desc(MediaTypes.OCI_CONFIG, D1, 100) + ",\"layers\":[" + desc(OCI_LAYER, D2, 200) + "]" + extra
                + "}";
    }

    /** An OCI image manifest with no mediaType member. */
    static String ociUntyped() {
        return "{\"schemaVersion\":2,\"config\":" + desc(MediaTypes.OCI_CONFIG, D1, 100) + ",\"layers\":["
                + desc(OCI_LAYER, D2, 200) + "]}";
    }

    static String index(String type, String extra) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + type + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D1 + "\",\"size\":500,"
                + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + desc(MediaTypes.OCI_MANIFEST, D2, 600) + "]" + extra + "}";
    }

    static String schema1Unsigned() {
        return "{\"schemaVersion\":1,\"name\":\"a/b\",\"tag\":\"latest\",\"architecture\":\"amd64\","
                + "\"fsLayers\":[{\"blobSum\":\"" + D1 + "\"},{\"blobSum\":\"" + D2 + "\"}],"
                + "\"history\":[{\"v1Compatibility\":\"{}\"},{\"v1Compatibility\":\"{}\"}]}";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Manifest parse(String body, String type) {
        return PARSER.parse(utf8(body), type);
    }

    // ---------------------------------------------------------------- every manifest kind

    @Test
    void parsesDockerSchema2() {
        String body = docker("");
        Manifest m = parse(body, MediaTypes.DOCKER_MANIFEST);
        assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
        assertEquals(Digest.sha256(utf8(body)), m.digest());
        assertArrayEquals(utf8(body), m.bytes());
        assertEquals(MediaTypes.DOCKER_CONFIG, m.config().mediaType());
        assertEquals(Digest.parse(D1), m.config().digest());
        assertEquals(100, m.config().size());
        assertEquals(List.of(Digest.parse(D2), Digest.parse(D3)), m.layers().stream().map(Descriptor::digest).toList());
        assertEquals(List.of(Digest.parse(D1), Digest.parse(D2), Digest.parse(D3)), m.referencedBlobs());
        assertEquals(List.of(), m.referencedManifests());
        assertEquals(600, m.contentSize());
        assertNull(m.artifactType(), "Docker manifests have no artifact type");
        assertNull(m.subject());
        assertTrue(!m.isIndex());
    }

    @Test
    void parsesDockerManifestList() {
        String body = index(MediaTypes.DOCKER_MANIFEST_LIST, "");
        Manifest m = parse(body, MediaTypes.DOCKER_MANIFEST_LIST);
        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, m.mediaType());
        assertTrue(m.isIndex());
        assertNull(m.config());
        assertEquals(List.of(), m.referencedBlobs());
        assertEquals(List.of(Digest.parse(D1), Digest.parse(D2)), m.referencedManifests());
        assertEquals(Map.of("architecture", "amd64", "os", "linux"), m.children().get(0).platform());
        assertEquals(0, m.contentSize());
    }

    @Test
    void parsesOciManifestAndDefaultsArtifactTypeToConfigType() {
        String body = oci(",\"annotations\":{\"org.opencontainers.image.created\":\"2024-01-01T00:00:00Z\"}");
        Manifest m = parse(body, MediaTypes.OCI_MANIFEST);
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
        assertEquals(MediaTypes.OCI_CONFIG, m.artifactType());
        assertEquals(Map.of("org.opencontainers.image.created", "2024-01-01T00:00:00Z"), m.annotations());
        assertEquals(300, m.contentSize());
        assertEquals(Digest.sha256(utf8(body)), m.digest());
    }

    @Test
    void parsesOciIndex() {
        String body = index(MediaTypes.OCI_INDEX, ",\"annotations\":{\"a\":\"b\"}");
        Manifest m = parse(body, MediaTypes.OCI_INDEX);
        assertEquals(MediaTypes.OCI_INDEX, m.mediaType());
        assertTrue(m.isIndex());
        assertEquals(2, m.children().size());
        assertEquals(Map.of("a", "b"), m.annotations());
    }

    @Test
    void parsesOciArtifactWithArtifactTypeAndSubject() {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/vnd.example.sbom.v1+json\","
                + "\"config\":" + desc(MediaTypes.OCI_EMPTY, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 2) + ","
                + "\"layers\":[" + desc("application/spdx+json", D2, 1234) + "],"
                + "\"subject\":" + desc(MediaTypes.OCI_MANIFEST, D4, 999) + "}";
        Manifest m = parse(body, MediaTypes.OCI_MANIFEST);
        assertEquals("application/vnd.example.sbom.v1+json", m.artifactType());
        assertEquals(Digest.parse(D4), m.subject().digest());
        assertEquals(Digest.parse(D4), m.subjectDescriptor().orElseThrow().digest());
        assertEquals(999, m.subject().size());
        assertTrue(!m.referencedBlobs().contains(Digest.parse(D4)), "the subject need not exist");
    }

    @Test
    void parsesOciIndexWithArtifactTypeAndSubject() {
        Manifest m = parse(index(MediaTypes.OCI_INDEX, ",\"artifactType\":\"application/x.sig\",\"subject\":"
                + desc(MediaTypes.OCI_MANIFEST, D4, 1)), MediaTypes.OCI_INDEX);
        assertEquals("application/x.sig", m.artifactType());
        assertEquals(Digest.parse(D4), m.subject().digest());
    }

    @Test
    void parsesUnsignedSchema1WithoutContentType() {
        String body = schema1Unsigned();
        Manifest m = parse(body, null);
        assertEquals(MediaTypes.DOCKER_SCHEMA1, m.mediaType());
        assertEquals(Digest.sha256(utf8(body)), m.digest());
        assertEquals(List.of(Digest.parse(D1), Digest.parse(D2)), m.referencedBlobs());
        assertEquals(0, m.contentSize(), "schema 1 layer sizes are unknown");
    }

    @ParameterizedTest
    @ValueSource(strings = {MediaTypes.DOCKER_SCHEMA1, "application/json", ""})
    void parsesUnsignedSchema1WithContentType(String type) {
        assertEquals(MediaTypes.DOCKER_SCHEMA1, parse(schema1Unsigned(), type).mediaType());
    }

    @Test
    void signedSchema1DigestCoversPayloadWithoutSignatures() {
        String payload = "{\n   \"schemaVersion\": 1,\n   \"name\": \"a/b\",\n   \"tag\": \"t\",\n"
                + "   \"fsLayers\": [{\"blobSum\": \"" + D1 + "\"}]";
        String tail = "\n}";
        String header = "{\"formatLength\":" + payload.length() + ",\"formatTail\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(utf8(tail)) + "\",\"time\":\"2024-01-01T00:00:00Z\"}";
        String body = payload + ",\n   \"signatures\": [{\"header\":{\"alg\":\"ES256\"},\"signature\":\"abc\",\"protected\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(utf8(header)) + "\"}]\n}";
        Manifest m = parse(body, MediaTypes.DOCKER_SCHEMA1_SIGNED);
        assertEquals(MediaTypes.DOCKER_SCHEMA1_SIGNED, m.mediaType());
        assertEquals(Digest.sha256(utf8(payload + tail)), m.digest());
        assertNotEquals(Digest.sha256(utf8(body)), m.digest());
        assertArrayEquals(utf8(body), m.bytes(), "stored bytes keep the signatures");
        assertEquals(MediaTypes.DOCKER_SCHEMA1_SIGNED, parse(body, null).mediaType(), "signatures imply the signed type");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[]", "[{}]", "[{\"protected\":\"!!!\"}]", "[{\"protected\":\"e30\"}]", "\"x\"",
        "[{\"protected\":\"eyJmb3JtYXRMZW5ndGgiOjk5OTk5OTksImZvcm1hdFRhaWwiOiJmUSJ9\"}]", // formatLength too large
        "[{\"protected\":\"eyJmb3JtYXRMZW5ndGgiOi0xLCJmb3JtYXRUYWlsIjoiZlEifQ\"}]"})       // formatLength -1
    void rejectsMalformedSchema1Signatures(String signatures) {
        String body = "{\"schemaVersion\":1,\"fsLayers\":[{\"blobSum\":\"" + D1 + "\"}],\"signatures\":" + signatures + "}";
        assertThrows(ManifestInvalid.class, () -> parse(body, MediaTypes.DOCKER_SCHEMA1_SIGNED));
    }

    static Stream<String> badSchema1() {
        return Stream.of(
                "{\"schemaVersion\":1}",
                "{\"schemaVersion\":1,\"fsLayers\":{}}",
                "{\"schemaVersion\":1,\"fsLayers\":[{}]}",
                "{\"schemaVersion\":1,\"fsLayers\":[{\"blobSum\":5}]}",
                "{\"schemaVersion\":1,\"fsLayers\":[{\"blobSum\":\"sha256:abc\"}]}",
                "{\"schemaVersion\":1,\"fsLayers\":[{\"blobSum\":\"sha256:../../x\"}]}",
                "{\"schemaVersion\":1,\"fsLayers\":[{\"blobSum\":\"md5:d41d8cd98f00b204e9800998ecf8427e\"}]}");
    }

    @ParameterizedTest
    @MethodSource("badSchema1")
    void rejectsMalformedSchema1(String body) {
        assertThrows(ManifestInvalid.class, () -> parse(body, null));
    }

    // ---------------------------------------------------------------- type determination

    static Stream<Arguments> typeDetermination() {
        return Stream.of(
                // Content-Type only
                Arguments.of(ociUntyped(), MediaTypes.OCI_MANIFEST, MediaTypes.OCI_MANIFEST),
                Arguments.of(ociUntyped().replace(MediaTypes.OCI_CONFIG, MediaTypes.DOCKER_CONFIG),
                        MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST),
                // member only
                Arguments.of(oci(""), null, MediaTypes.OCI_MANIFEST),
                Arguments.of(docker(""), null, MediaTypes.DOCKER_MANIFEST),
                Arguments.of(index(MediaTypes.OCI_INDEX, ""), null, MediaTypes.OCI_INDEX),
                // application/json (and other non-manifest types) fall back to the member
                Arguments.of(oci(""), "application/json", MediaTypes.OCI_MANIFEST),
                Arguments.of(docker(""), "application/json; charset=utf-8", MediaTypes.DOCKER_MANIFEST),
                Arguments.of(oci(""), "text/plain", MediaTypes.OCI_MANIFEST),
                Arguments.of(oci(""), "", MediaTypes.OCI_MANIFEST),
                Arguments.of(oci(""), "garbage", MediaTypes.OCI_MANIFEST),
                // both, agreeing, with parameters and case differences
                Arguments.of(oci(""), MediaTypes.OCI_MANIFEST + "; charset=utf-8", MediaTypes.OCI_MANIFEST),
                Arguments.of(oci(""), MediaTypes.OCI_MANIFEST.toUpperCase(), MediaTypes.OCI_MANIFEST),
                Arguments.of(oci("").replace("\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"",
                        "\"mediaType\":\"" + MediaTypes.OCI_MANIFEST.toUpperCase() + "\""), MediaTypes.OCI_MANIFEST,
                        MediaTypes.OCI_MANIFEST),
                // an empty member counts as absent
                Arguments.of(oci("").replace("\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"", "\"mediaType\":\"\""),
                        MediaTypes.OCI_MANIFEST, MediaTypes.OCI_MANIFEST));
    }

    @ParameterizedTest
    @MethodSource("typeDetermination")
    void determinesTypeFromContentTypeAndMember(String body, String contentType, String expected) {
        assertEquals(expected, parse(body, contentType).mediaType());
    }

    static Stream<Arguments> typeMismatches() {
        return Stream.of(
                Arguments.of(oci(""), MediaTypes.DOCKER_MANIFEST),
                Arguments.of(docker(""), MediaTypes.OCI_MANIFEST),
                Arguments.of(oci(""), MediaTypes.OCI_INDEX),
                Arguments.of(index(MediaTypes.OCI_INDEX, ""), MediaTypes.DOCKER_MANIFEST_LIST),
                Arguments.of(index(MediaTypes.DOCKER_MANIFEST_LIST, ""), MediaTypes.OCI_INDEX),
                Arguments.of(docker(""), MediaTypes.DOCKER_SCHEMA1));
    }

    @ParameterizedTest
    @MethodSource("typeMismatches")
    void rejectsContentTypeThatContradictsTheMember(String body, String contentType) {
        assertThrows(ManifestInvalid.class, () -> parse(body, contentType));
    }

    static Stream<Arguments> undeterminable() {
        return Stream.of(
                Arguments.of(ociUntyped(), null),
                Arguments.of(ociUntyped(), ""),
                Arguments.of(ociUntyped(), "application/json"),
                Arguments.of(ociUntyped(), "application/octet-stream"),
                Arguments.of(ociUntyped(), "application/vnd.oci.artifact.manifest.v1+json"),
                Arguments.of("{}", null),
                Arguments.of("{\"schemaVersion\":2}", "application/json"),
                // a member naming an unsupported type
                Arguments.of("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.artifact.manifest.v1+json\"}", null),
                Arguments.of("{\"schemaVersion\":2,\"mediaType\":\"application/json\"}", MediaTypes.OCI_MANIFEST),
                Arguments.of("{\"schemaVersion\":2,\"mediaType\":\"../../x\"}", null));
    }

    @ParameterizedTest
    @MethodSource("undeterminable")
    void rejectsUndeterminableTypeAsUnsupported(String body, String contentType) {
        ManifestUnsupported e = assertThrows(ManifestUnsupported.class, () -> parse(body, contentType));
        assertEquals(ManifestParser.INVALID_JSON, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "true", "null", "{}", "[\"" + MediaTypes.OCI_MANIFEST + "\"]"})
    void rejectsNonStringMediaTypeMember(String value) {
        String body = "{\"schemaVersion\":2,\"mediaType\":" + value + ",\"config\":" + desc(MediaTypes.OCI_CONFIG, D1, 1)
                + ",\"layers\":[]}";
        assertThrows(ManifestInvalid.class, () -> parse(body, MediaTypes.OCI_MANIFEST));
    }

    // ---------------------------------------------------------------- not JSON objects

    static Stream<String> notJsonObjects() {
        String ok = oci("");
        return Stream.of(
                "", " ", "\n", "x", "{", "}", "{\"schemaVersion\":2", "[]", "[" + ok + "]", "null", "true", "2",
                "\"" + MediaTypes.OCI_MANIFEST + "\"", "{schemaVersion:2}", "{'schemaVersion':2}",
                "{\"schemaVersion\":2,}", "{\"a\":NaN}", "{\"a\":1 /* c */}", "// c\n" + ok,
                // trailing garbage after the object
                ok + "x", ok + "}", ok + "]", ok + ",", ok + ok, ok + " {}", ok + "\u0000", ok + "null",
                // garbage before
                "x" + ok, "\u0000" + ok);
    }

    @ParameterizedTest
    @MethodSource("notJsonObjects")
    void rejectsBodyThatIsNotOneJsonObjectAsUnsupported(String body) {
        ManifestUnsupported e = assertThrows(ManifestUnsupported.class, () -> parse(body, MediaTypes.OCI_MANIFEST));
        assertEquals(ManifestParser.INVALID_JSON, e.getMessage());
    }

    /** Well-formed JSON that repeats a key, at the top level or inside a nested object. */
    static Stream<Arguments> duplicateKeys() {
        String ok = oci("");
        return Stream.of(
                Arguments.of(ok.replace("{\"schemaVersion\":2,", "{\"schemaVersion\":2,\"schemaVersion\":2,"),
                        "schemaVersion"),
                Arguments.of(ok.replace("\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"", "\"mediaType\":\""
                        + MediaTypes.OCI_MANIFEST + "\",\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\""), "mediaType"),
                Arguments.of(oci(",\"layers\":[]"), "layers"),
                // nested: a descriptor with two digests, an annotation given twice, a platform deep in an index
                Arguments.of(ok.replace("\"digest\":\"" + D1 + "\"", "\"digest\":\"" + D1 + "\",\"digest\":\""
                        + D4 + "\""), "digest"),
                Arguments.of(oci(",\"annotations\":{\"a\":\"1\",\"b\":\"2\",\"a\":\"3\"}"), "a"),
                Arguments.of(index(MediaTypes.OCI_INDEX, "").replace("\"os\":\"linux\"",
                        "\"os\":\"linux\",\"os\":\"windows\""), "os"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("duplicateKeys")
    void rejectsARepeatedKeyAtAnyDepthAsInvalid(String body, String key) {
        ManifestInvalid e = assertThrows(ManifestInvalid.class, () -> parse(body, null));
        assertTrue(e.getMessage().contains("repeats a key") && e.getMessage().contains("'" + key + "'"),
                e.getMessage());
    }

    @Test
    void brokenJsonThatAlsoRepeatsAKeyIsStillUnsupported() {
        String body = "{\"schemaVersion\":2,\"schemaVersion\":2,";
        ManifestUnsupported e = assertThrows(ManifestUnsupported.class, () -> parse(body, MediaTypes.OCI_MANIFEST));
        assertEquals(ManifestParser.INVALID_JSON, e.getMessage());
    }

    @Test
    void rejectsDeeplyNestedJsonWithoutOverflowingTheStack() {
        int depth = 200_000;
        String body = "{\"schemaVersion\":2,\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        RegistryException e = assertThrows(RegistryException.class,
                () -> new ManifestParser(4 * 1024 * 1024).parse(utf8(body), MediaTypes.OCI_MANIFEST));
        assertTrue(e instanceof ManifestUnsupported || e instanceof ManifestInvalid, e.toString());
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] ok = utf8(oci(",\"annotations\":{\"a\":\"XX\"}"));
        int at = new String(ok, StandardCharsets.ISO_8859_1).indexOf("XX");
        ok[at] = (byte) 0xff;
        ok[at + 1] = (byte) 0xfe;
        RegistryException e = assertThrows(RegistryException.class, () -> PARSER.parse(ok, MediaTypes.OCI_MANIFEST));
        assertTrue(e instanceof ManifestUnsupported || e instanceof ManifestInvalid, e.toString());
    }

    /** ecr-behaviour.md 6.1 (1): a manifest must be a valid UTF-8 JSON object; Go clients cannot read UTF-16. */
    @ParameterizedTest
    @ValueSource(strings = {"UTF-16BE", "UTF-16LE", "UTF-16"})
    void rejectsManifestNotEncodedAsUtf8(String charset) {
        byte[] body = oci("").getBytes(java.nio.charset.Charset.forName(charset));
        RegistryException e = assertThrows(RegistryException.class, () -> PARSER.parse(body, MediaTypes.OCI_MANIFEST));
        assertTrue(e instanceof ManifestUnsupported || e instanceof ManifestInvalid, e.toString());
    }

    // ---------------------------------------------------------------- size limit

    @Test
    void acceptsBodyOfExactlyTheMaximumSize() {
        String base = oci(",\"annotations\":{\"pad\":\"\"}");
        String body = base.replace("\"pad\":\"\"", "\"pad\":\"" + "x".repeat(MAX - base.length()) + "\"");
        assertEquals(MAX, utf8(body).length);
        assertEquals(Digest.sha256(utf8(body)), parse(body, MediaTypes.OCI_MANIFEST).digest());
    }

    @ParameterizedTest
    @ValueSource(ints = {MAX + 1, MAX * 2, 4 * 1024 * 1024 + 1})
    void rejectsOversizedBodyAsInvalidBeforeParsing(int size) {
        byte[] body = new byte[size]; // not JSON at all: the size check comes first
        assertThrows(ManifestInvalid.class, () -> PARSER.parse(body, MediaTypes.OCI_MANIFEST));
    }

    // ---------------------------------------------------------------- schemaVersion

    @ParameterizedTest
    @ValueSource(strings = {"", "\"schemaVersion\":1,", "\"schemaVersion\":3,", "\"schemaVersion\":\"2\",",
        "\"schemaVersion\":2.0,", "\"schemaVersion\":2.5,", "\"schemaVersion\":null,", "\"schemaVersion\":-2,",
        "\"schemaVersion\":true,", "\"schemaVersion\":[2],", "\"schemaVersion\":4294967298,",
        "\"schemaVersion\":0,"})
    void rejectsSchemaVersionOtherThanTwo(String member) {
        String body = oci("").replace("\"schemaVersion\":2,", member);
        assertThrows(ManifestInvalid.class, () -> parse(body, MediaTypes.OCI_MANIFEST));
        String list = index(MediaTypes.OCI_INDEX, "").replace("\"schemaVersion\":2,", member);
        assertThrows(ManifestInvalid.class, () -> parse(list, MediaTypes.OCI_INDEX));
    }
}
