package io.lading.core.manifest;

import static io.lading.core.manifest.ManifestParserTest.*;
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

/** Manifest structure and descriptor validation, and what a parsed manifest says it references. Fixtures: {@link ManifestParserTest}. */
class ManifestStructureTest {

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

    /** Documents that carry both an image manifest's members (config, layers) and an index's (manifests). */
    static Stream<Arguments> bothKinds() {
        String children = ",\"manifests\":[" + desc(MediaTypes.OCI_MANIFEST, D4, 10) + "]";
        String cfg = ",\"config\":" + desc(MediaTypes.OCI_CONFIG, D3, 1);
        String untypedIndex = index(MediaTypes.OCI_INDEX, "").replace("\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",", "");
        return Stream.of(
                Arguments.of(oci(children), null, "OCI manifest with manifests"),
                Arguments.of(oci(",\"manifests\":[]"), null, "OCI manifest with empty manifests"),
                Arguments.of(docker(children), null, "Docker manifest with manifests"),
                Arguments.of(index(MediaTypes.OCI_INDEX, cfg), null, "OCI index with config"),
                Arguments.of(index(MediaTypes.OCI_INDEX, ",\"layers\":[]"), null, "OCI index with layers"),
                Arguments.of(index(MediaTypes.DOCKER_MANIFEST_LIST, cfg), null, "manifest list with config"),
                // no mediaType member: the Content-Type alone would decide which half is read
                Arguments.of(ociUntyped().replace("}]}", "}]" + children + "}"), MediaTypes.OCI_MANIFEST,
                        "untyped manifest with manifests"),
                Arguments.of(untypedIndex.replace("]}", "]" + cfg + "}"), MediaTypes.OCI_INDEX,
                        "untyped index with config"),
                // no type at all: ambiguous rather than undeterminable
                Arguments.of(ociUntyped().replace("}]}", "}]" + children + "}"), null, "untyped, no Content-Type"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("bothKinds")
    void rejectsADocumentThatIsBothAManifestAndAnIndex(String body, String contentType, String why) {
        ManifestInvalid e = assertThrows(ManifestInvalid.class, () -> parse(body, contentType), why);
        assertTrue(e.getMessage().contains("both an image manifest"), e.getMessage());
    }

    @Test
    void nullMembersOfTheOtherKindCountAsAbsent() {
        assertEquals(MediaTypes.OCI_MANIFEST, parse(oci(",\"manifests\":null"), null).mediaType());
        assertEquals(MediaTypes.OCI_INDEX, parse(index(MediaTypes.OCI_INDEX, ",\"config\":null,\"layers\":null"),
                null).mediaType());
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
