package io.lading.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.RegistrySettings;
import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException.ManifestInvalid;
import io.lading.core.mediatype.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * {@code registry.manifestMaxDescriptors}: config, layers, manifests and subject together are counted
 * before any descriptor is read; one over the limit is {@link ManifestInvalid} naming the limit and the key.
 */
class ManifestLimitsTest {

    private static final int MAX = RegistrySettings.DEFAULT_MANIFEST_MAX_DESCRIPTORS;
    private static final ManifestParser PARSER = new ManifestParser(4 * 1024 * 1024, MAX);

    private static String desc(String mediaType, int i) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256(("d" + i).getBytes(StandardCharsets.UTF_8))
                + "\",\"size\":" + i + "}";
    }

    private static String descriptors(String mediaType, int n) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 0; i < n; i++) {
            j.add(desc(mediaType, i));
        }
        return j.toString();
    }

    /** An OCI image manifest with a config and {@code layers} layers, and a subject if asked. */
    private static byte[] image(int layers, boolean subject) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + desc(MediaTypes.OCI_CONFIG, -1).replace("-1}", "1}") + ",\"layers\":"
                + descriptors("application/vnd.oci.image.layer.v1.tar+gzip", layers)
                + (subject ? ",\"subject\":" + desc(MediaTypes.OCI_MANIFEST, 5) : "") + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] index(int manifests) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":"
                + descriptors(MediaTypes.OCI_MANIFEST, manifests) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRefused(byte[] manifest, int count) {
        ManifestInvalid e = assertThrows(ManifestInvalid.class, () -> PARSER.parse(manifest, null));
        assertTrue(e.getMessage().contains(count + " descriptors"), e.getMessage());
        assertTrue(e.getMessage().contains("maximum is " + MAX), e.getMessage());
        assertTrue(e.getMessage().contains("registry.manifestMaxDescriptors"), e.getMessage());
    }

    @Test
    void anImageAtTheLimitIsAcceptedOneMoreIsNot() {
        assertEquals(MAX - 1, PARSER.parse(image(MAX - 1, false), null).layers().size());
        assertRefused(image(MAX, false), MAX + 1);
    }

    @Test
    void theSubjectCounts() {
        assertEquals(MAX - 2, PARSER.parse(image(MAX - 2, true), null).layers().size());
        assertRefused(image(MAX - 1, true), MAX + 1);
    }

    @Test
    void anIndexAtTheLimitIsAcceptedOneMoreIsNot() {
        assertEquals(MAX, PARSER.parse(index(MAX), null).children().size());
        assertRefused(index(MAX + 1), MAX + 1);
    }

    @Test
    void whatWasAcceptedBeforeTheLimitIsRefused() {
        // the reproduction: 24,997 descriptors in one 4 MiB manifest were accepted
        assertRefused(image(24_996, false), 24_997);
    }

    @Test
    void schema1LayersCount() {
        StringJoiner layers = new StringJoiner(",", "[", "]");
        for (int i = 0; i <= MAX; i++) {
            layers.add("{\"blobSum\":\"" + Digest.sha256(("l" + i).getBytes(StandardCharsets.UTF_8)) + "\"}");
        }
        byte[] m = ("{\"schemaVersion\":1,\"name\":\"a\",\"tag\":\"t\",\"architecture\":\"amd64\",\"fsLayers\":"
                + layers + ",\"history\":[]}").getBytes(StandardCharsets.UTF_8);
        assertRefused(m, MAX + 1);
    }

    @Test
    void theLimitIsConfigurable() {
        ManifestParser small = new ManifestParser(1 << 20, 3);
        assertEquals(2, small.parse(image(2, false), null).layers().size());
        ManifestInvalid e = assertThrows(ManifestInvalid.class, () -> small.parse(image(3, false), null));
        assertTrue(e.getMessage().contains("4 descriptors") && e.getMessage().contains("maximum is 3"), e.getMessage());
    }
}
