package io.lading.core.mediatype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EmptySource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "application/json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.layer.v1.tar+zstd",
        "application/vnd.docker.image.rootfs.diff.tar.gzip",
        "application/vnd.cncf.helm.config.v1+json",
        "text/plain; charset=utf-8",
        "text/plain;charset=utf-8",
        "application/vnd.example+type; version=1.0; x=\"quoted\"",
        "A/B",
        "a/b",
        "x-custom/y_z",
        "application/vnd.a!#$&^_.+-b",
        "0/0"})
    void acceptsSyntacticallyValidMediaType(String type) {
        assertTrue(MediaTypes.isValid(type), type);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "application", "application/", "/json", "/", "//", "application//json", "application/json/x",
        " application/json", "application/json ", "application /json", "application/ json",
        ".application/json", "application/.json", "-a/b", "a/-b", "+a/b",
        "application/json\n", "application/json;\nx=y", "a/b\u0000", "appl\u00efcation/json", "a/\ud83d\ude00",
        "application/js on", "application/json,text/plain", "*/*", "application/*", "a@b/c", "a/b@c", "a/b:c"})
    void rejectsMalformedMediaType(String type) {
        assertFalse(MediaTypes.isValid(type), String.valueOf(type));
    }

    @Test
    void limitsLengthTo255() {
        String type = "a/" + "b".repeat(127);
        assertTrue(MediaTypes.isValid(type));
        assertFalse(MediaTypes.isValid("a/" + "b".repeat(128)), "subtype over 127 chars");
        assertFalse(MediaTypes.isValid("a/b;" + "x".repeat(252)), "256 chars with parameters");
        assertTrue(MediaTypes.isValid("a/b;" + "x".repeat(251)), "255 chars with parameters");
        assertFalse(MediaTypes.isValid("a/b;" + "x".repeat(1_000_000)));
    }

    static Stream<Arguments> essences() {
        return Stream.of(
                Arguments.of("application/json", "application/json"),
                Arguments.of("Application/JSON", "application/json"),
                Arguments.of("application/json; charset=utf-8", "application/json"),
                Arguments.of("application/json;charset=utf-8", "application/json"),
                Arguments.of("  application/json  ; q=0.5", "application/json"),
                Arguments.of("APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON", MediaTypes.OCI_MANIFEST),
                Arguments.of(MediaTypes.DOCKER_MANIFEST + ";a=b;c=d", MediaTypes.DOCKER_MANIFEST),
                Arguments.of(";x=y", ""),
                Arguments.of("", ""),
                Arguments.of(null, ""),
                Arguments.of("\tA/B\t", "a/b"),
                Arguments.of("I/J", "i/j")); // Locale.ROOT: no Turkish dotless i
    }

    @ParameterizedTest
    @MethodSource("essences")
    void essenceDropsParametersAndLowerCases(String type, String expected) {
        assertEquals(expected, MediaTypes.essence(type));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_SCHEMA1,
        MediaTypes.DOCKER_SCHEMA1_SIGNED, MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX})
    void recognisesEveryManifestType(String type) {
        assertTrue(MediaTypes.isManifest(type));
        assertTrue(MediaTypes.isManifest(MediaTypes.essence(type.toUpperCase() + "; charset=utf-8")));
    }

    @ParameterizedTest
    @EmptySource
    @ValueSource(strings = {
        MediaTypes.OCI_CONFIG, MediaTypes.OCI_EMPTY, MediaTypes.DOCKER_CONFIG, "application/json", "*/*",
        "application/vnd.oci.artifact.manifest.v1+json",
        "application/vnd.oci.image.manifest.v1+json; charset=utf-8", // not an essence
        "APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON",               // not an essence
        " application/vnd.oci.image.manifest.v1+json"})
    void doesNotTreatOtherTypesAsManifests(String type) {
        assertFalse(MediaTypes.isManifest(type));
    }

    @Test
    void classifiesManifestFamilies() {
        assertEquals(2, MediaTypes.IMAGE_MANIFESTS.size());
        assertEquals(2, MediaTypes.INDEXES.size());
        assertEquals(2, MediaTypes.SCHEMA1.size());
        assertTrue(MediaTypes.INDEXES.contains(MediaTypes.OCI_INDEX));
        assertFalse(MediaTypes.INDEXES.contains(MediaTypes.OCI_MANIFEST));
    }
}
