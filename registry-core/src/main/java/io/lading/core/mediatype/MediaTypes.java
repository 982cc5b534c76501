package io.lading.core.mediatype;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The manifest media types the registry stores, and media-type syntax checks. */
public final class MediaTypes {

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

    /** Image manifests: they reference a config and layers. */
    public static final Set<String> IMAGE_MANIFESTS = Set.of(DOCKER_MANIFEST, OCI_MANIFEST);
    /** Indexes: they reference other manifests. */
    public static final Set<String> INDEXES = Set.of(DOCKER_MANIFEST_LIST, OCI_INDEX);
    /** Legacy Docker schema 1, signed and unsigned. */
    public static final Set<String> SCHEMA1 = Set.of(DOCKER_SCHEMA1, DOCKER_SCHEMA1_SIGNED);

    // RFC 6838 type/subtype, optionally followed by parameters
    private static final Pattern SYNTAX = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\\s*;.*)?");

    private MediaTypes() {
    }

    /** True for a syntactically valid media type (parameters allowed). */
    public static boolean isValid(String mediaType) {
        return mediaType != null && mediaType.length() <= 255 && SYNTAX.matcher(mediaType).matches();
    }

    /** The media type without parameters, lower-cased: {@code a/b; x=y} becomes {@code a/b}. */
    public static String essence(String mediaType) {
        if (mediaType == null) {
            return "";
        }
        int semi = mediaType.indexOf(';');
        String base = semi >= 0 ? mediaType.substring(0, semi) : mediaType;
        return base.trim().toLowerCase(Locale.ROOT);
    }

    /** True for any manifest type the registry accepts on push. */
    public static boolean isManifest(String essence) {
        return IMAGE_MANIFESTS.contains(essence) || INDEXES.contains(essence) || SCHEMA1.contains(essence);
    }
}
