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

    // ---------------------------------------------------------------- structure

    static Stream<Arguments> missingStructure() {
        String cfg = desc(MediaTypes.OCI_CONFIG, D1, 1);
        String head = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"";
        String ihead = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\"";
        return Stream.of(
                Arguments.of(head + ",\"layers\":[]}", "no config"),
                Arguments.of(head + ",\"config\":null,\"layers\":[]}", "null config"),
                Arguments.of(head + ",\"config\":\"" + D1 + "\",\"layers\":[]}", "string config"),
                Arguments.of(head + ",\"config\":[" + cfg + "],\"layers\":[]}", "array config"),
                Arguments.of(head + ",\"config\":" + cfg + "}", "no layers"),
                Arguments.of(head + ",\"config\":" + cfg + ",\"layers\":null}", "null layers"),
                Arguments.of(head + ",\"config\":" + cfg + ",\"layers\":{}}", "object layers"),
                Arguments.of(head + ",\"config\":" + cfg + ",\"layers\":\"x\"}", "string layers"),
                Arguments.of(head + ",\"config\":" + cfg + ",\"layers\":[null]}", "null layer"),
                Arguments.of(head + ",\"config\":" + cfg + ",\"layers\":[\"" + D2 + "\"]}", "string layer"),
                Arguments.of(head + ",\"config\":" + cfg + ",\"layers\":[[]]}", "array layer"),
                Arguments.of(ihead + "}", "no manifests"),
                Arguments.of(ihead + ",\"manifests\":null}", "null manifests"),
                Arguments.of(ihead + ",\"manifests\":{}}", "object manifests"),
                Arguments.of(ihead + ",\"manifests\":[1]}", "number child"),
                Arguments.of(ihead + ",\"manifests\":[" + desc(MediaTypes.OCI_MANIFEST, "sha256:abc", 1) + "]}",
                        "bad child digest"),
                Arguments.of(head + ",\"config\":" + cfg + ",\"layers\":[],\"subject\":\"" + D1 + "\"}", "string subject"),
                Arguments.of(head + ",\"config\":" + cfg + ",\"layers\":[],\"subject\":{}}", "empty subject"),
                Arguments.of(head + ",\"config\":" + cfg + ",\"layers\":[],\"subject\":"
                        + desc(MediaTypes.OCI_MANIFEST, "sha256:../../x", 1) + "}", "traversal subject digest"),
                Arguments.of(head + ",\"config\":" + cfg + ",\"layers\":[],\"artifactType\":\"not a type\"}",
                        "bad artifactType"),
                Arguments.of(ihead + ",\"manifests\":[],\"artifactType\":\"x\"}", "bad index artifactType"),
                // an image manifest's shape under an index type and vice versa
                Arguments.of(oci("").replace(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX), "image as index"),
                Arguments.of(index(MediaTypes.OCI_INDEX, "").replace("\"mediaType\":\"" + MediaTypes.OCI_INDEX,
                        "\"mediaType\":\"" + MediaTypes.OCI_MANIFEST), "index as image"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("missingStructure")
    void rejectsMissingOrMistypedStructure(String body, String why) {
        assertThrows(ManifestInvalid.class, () -> parse(body, null), why);
    }

    @Test
    void acceptsEmptyLayersAndNullSubject() {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + desc(MediaTypes.OCI_EMPTY, D1, 2) + ",\"layers\":[],\"subject\":null}";
        Manifest m = parse(body, null);
        assertEquals(List.of(), m.layers());
        assertNull(m.subject());
    }

    // ---------------------------------------------------------------- descriptor validation

    static Stream<Arguments> badDescriptors() {
        String mt = "\"mediaType\":\"" + OCI_LAYER + "\"";
        String dg = "\"digest\":\"" + D2 + "\"";
        String sz = "\"size\":1";
        return Stream.of(
                // digest
                Arguments.of("{" + mt + ",\"digest\":\"sha256:abc\"," + sz + "}", "short digest"),
                Arguments.of("{" + mt + ",\"digest\":\"" + D2.toUpperCase() + "\"," + sz + "}", "upper-case digest"),
                Arguments.of("{" + mt + ",\"digest\":\"sha256:" + "A".repeat(64) + "\"," + sz + "}", "upper-case hex"),
                Arguments.of("{" + mt + ",\"digest\":\"md5:d41d8cd98f00b204e9800998ecf8427e\"," + sz + "}", "md5"),
                Arguments.of("{" + mt + ",\"digest\":\"sha256:../../x\"," + sz + "}", "traversal digest"),
                Arguments.of("{" + mt + ",\"digest\":\"\"," + sz + "}", "empty digest"),
                Arguments.of("{" + mt + ",\"digest\":5," + sz + "}", "numeric digest"),
                Arguments.of("{" + mt + ",\"digest\":null," + sz + "}", "null digest"),
                Arguments.of("{" + mt + "," + sz + "}", "missing digest"),
                Arguments.of("{" + mt + ",\"digest\":\" " + D2 + "\"," + sz + "}", "padded digest"),
                // size
                Arguments.of("{" + mt + "," + dg + ",\"size\":-1}", "negative size"),
                Arguments.of("{" + mt + "," + dg + ",\"size\":-9223372036854775808}", "min long size"),
                Arguments.of("{" + mt + "," + dg + ",\"size\":1.5}", "fractional size"),
                Arguments.of("{" + mt + "," + dg + ",\"size\":1.0}", "integral-valued double size"),
                Arguments.of("{" + mt + "," + dg + ",\"size\":1e3}", "exponent size"),
                Arguments.of("{" + mt + "," + dg + ",\"size\":\"10\"}", "string size"),
                Arguments.of("{" + mt + "," + dg + ",\"size\":null}", "null size"),
                Arguments.of("{" + mt + "," + dg + ",\"size\":true}", "boolean size"),
                Arguments.of("{" + mt + "," + dg + ",\"size\":9223372036854775808}", "size over Long.MAX_VALUE"),
                Arguments.of("{" + mt + "," + dg + ",\"size\":123456789012345678901234567890}", "huge size"),
                Arguments.of("{" + mt + "," + dg + "}", "missing size"),
                // media type
                Arguments.of("{" + dg + "," + sz + "}", "missing mediaType"),
                Arguments.of("{\"mediaType\":\"\"," + dg + "," + sz + "}", "empty mediaType"),
                Arguments.of("{\"mediaType\":null," + dg + "," + sz + "}", "null mediaType"),
                Arguments.of("{\"mediaType\":7," + dg + "," + sz + "}", "numeric mediaType"),
                Arguments.of("{\"mediaType\":\"tar\"," + dg + "," + sz + "}", "mediaType without subtype"),
                Arguments.of("{\"mediaType\":\"a/b c\"," + dg + "," + sz + "}", "mediaType with space"),
                Arguments.of("{\"mediaType\":\"" + "a/" + "b".repeat(300) + "\"," + dg + "," + sz + "}", "long mediaType"));
    }

    @ParameterizedTest(name = "layer: {1}")
    @MethodSource("badDescriptors")
    void rejectsBadLayerDescriptor(String layer, String why) {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + desc(MediaTypes.OCI_CONFIG, D1, 1) + ",\"layers\":[" + desc(OCI_LAYER, D3, 1) + "," + layer + "]}";
        assertThrows(ManifestInvalid.class, () -> parse(body, MediaTypes.OCI_MANIFEST), why);
    }

    @ParameterizedTest(name = "config: {1}")
    @MethodSource("badDescriptors")
    void rejectsBadConfigDescriptor(String config, String why) {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":" + config
                + ",\"layers\":[]}";
        assertThrows(ManifestInvalid.class, () -> parse(body, null), why);
    }

    @ParameterizedTest(name = "child: {1}")
    @MethodSource("badDescriptors")
    void rejectsBadIndexChildDescriptor(String child, String why) {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + child + "]}";
        assertThrows(ManifestInvalid.class, () -> parse(body, null), why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "9223372036854775807"})
    void acceptsNonNegativeIntegralSizes(String size) {
        String body = oci("").replace("\"size\":200", "\"size\":" + size);
        assertEquals(Long.parseLong(size), parse(body, null).layers().get(0).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/vnd.oci.image.layer.v1.tar+zstd", "application/x-custom; version=2",
        "application/vnd.cncf.helm.chart.content.v1.tar+gzip", "text/plain"})
    void acceptsAnySyntacticallyValidLayerMediaType(String type) {
        assertEquals(type, parse(oci("").replace(OCI_LAYER, type), null).layers().get(0).mediaType());
    }

    // ---------------------------------------------------------------- digest and referenced blobs

    @Test
    void digestIsComputedOverTheExactBytes() {
        String compact = oci("");
        String spaced = compact.replace(",", ", ").replace("\":", "\": ");
        String trailingNewline = compact + "\n";
        String leadingSpace = " \t\r\n" + compact;
        Manifest a = parse(compact, null);
        Manifest b = parse(spaced, null);
        Manifest c = parse(trailingNewline, null);
        Manifest d = parse(leadingSpace, null);
        assertEquals(Digest.sha256(utf8(compact)), a.digest());
        assertEquals(Digest.sha256(utf8(spaced)), b.digest());
        assertEquals(Digest.sha256(utf8(trailingNewline)), c.digest());
        assertEquals(Digest.sha256(utf8(leadingSpace)), d.digest());
        assertEquals(4, java.util.Set.of(a.digest(), b.digest(), c.digest(), d.digest()).size());
        assertEquals(a.referencedBlobs(), b.referencedBlobs());
    }

    @Test
    void memberOrderChangesTheDigestButNotTheContent() {
        String body = "{\"layers\":[" + desc(OCI_LAYER, D2, 200) + "],\"config\":" + desc(MediaTypes.OCI_CONFIG, D1, 100)
                + ",\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"schemaVersion\":2}";
        Manifest m = parse(body, null);
        assertEquals(Digest.sha256(utf8(body)), m.digest());
        assertNotEquals(parse(oci(""), null).digest(), m.digest());
        assertEquals(parse(oci(""), null).referencedBlobs(), m.referencedBlobs());
    }

    @Test
    void referencedBlobsExcludesForeignLayersWithUrls() {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":"
                + desc(MediaTypes.DOCKER_CONFIG, D1, 10) + ",\"layers\":["
                + "{\"mediaType\":\"" + DOCKER_FOREIGN + "\",\"digest\":\"" + D2 + "\",\"size\":20,"
                + "\"urls\":[\"https://mcr.microsoft.com/v2/x/blobs/" + D2 + "\"]},"
                + "{\"mediaType\":\"" + DOCKER_LAYER + "\",\"digest\":\"" + D3 + "\",\"size\":30,\"urls\":[]},"
                + desc(DOCKER_LAYER, D4, 40) + "]}";
        Manifest m = parse(body, null);
        assertEquals(List.of(Digest.parse(D1), Digest.parse(D3), Digest.parse(D4)), m.referencedBlobs());
        assertTrue(m.layers().get(0).isExternal());
        assertTrue(!m.layers().get(1).isExternal(), "an empty urls array is not a foreign layer");
        assertEquals(List.of("https://mcr.microsoft.com/v2/x/blobs/" + D2), m.layers().get(0).urls());
        assertEquals(100, m.contentSize());
    }

    @Test
    void referencedBlobsKeepsDuplicatesInOrder() {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + desc(MediaTypes.OCI_CONFIG, D1, 1) + ",\"layers\":[" + desc(OCI_LAYER, D2, 2) + ","
                + desc(OCI_LAYER, D2, 2) + "]}";
        assertEquals(List.of(Digest.parse(D1), Digest.parse(D2), Digest.parse(D2)), parse(body, null).referencedBlobs());
        assertEquals(5, parse(body, null).contentSize());
    }

    @Test
    void returnedManifestIsIsolatedFromLaterMutationOfLists() {
        Manifest m = parse(docker(""), null);
        assertThrows(UnsupportedOperationException.class, () -> m.layers().clear());
        assertThrows(UnsupportedOperationException.class, () -> m.annotations().put("a", "b"));
    }

    @Test
    void parserIsStatelessAcrossCalls() {
        // a failure must not affect the next parse
        assertThrows(ManifestUnsupported.class, () -> parse("{", null));
        assertEquals(MediaTypes.OCI_MANIFEST, parse(oci(""), null).mediaType());
    }
}
