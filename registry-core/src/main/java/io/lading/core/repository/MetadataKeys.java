package io.lading.core.repository;

import io.lading.core.digest.Digest;
import io.lading.core.tag.Tag;
import java.nio.charset.StandardCharsets;

/**
 * Builds the {@link io.lading.core.spi.MetadataStore} keys of repository metadata. Repository name
 * components never start with {@code _}, so the {@code _}-prefixed segments below cannot collide with a
 * nested repository's name.
 *
 * <pre>
 * repositories/&lt;name&gt;/_repository                 RepositoryRecord JSON       created once (atomic create), settings
 *                                              (mutability, scanning, encryption, resource tags, policies) replaced by CAS
 * repositories/&lt;name&gt;/_manifests/&lt;alg&gt;/&lt;hex&gt;      ImageRecord JSON            created on push, updated for pull time
 * repositories/&lt;name&gt;/_tags/&lt;tag&gt;                  {"tag":…,"digest":"sha256:…"}  moved by compare-and-swap
 *                                              (a tag over 128 characters is keyed h:&lt;sha256 of the tag&gt;,
 *                                              so ECR's 300-character tags fit file-name limits)
 * repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;         {"size":…,"linkedAt":…}    a blob uploaded or mounted here
 * </pre>
 */
public final class MetadataKeys {

    public static final String ROOT = "repositories/";
    static final String REPOSITORY = "_repository";
    static final String MANIFESTS = "_manifests";
    static final String TAGS = "_tags";
    static final String LAYERS = "_layers";

    private MetadataKeys() {
    }

    public static String repository(RepositoryName name) {
        return ROOT + name + "/" + REPOSITORY;
    }

    public static String manifest(RepositoryName name, Digest digest) {
        return ROOT + name + "/" + MANIFESTS + "/" + digest.algorithm().id() + "/" + digest.hex();
    }

    public static String tag(RepositoryName name, Tag tag) {
        String v = tag.value();
        String segment = v.length() <= 128 ? v : "h:" + Digest.sha256(v.getBytes(StandardCharsets.UTF_8)).hex();
        return ROOT + name + "/" + TAGS + "/" + segment;
    }

    public static String layer(RepositoryName name, Digest digest) {
        return ROOT + name + "/" + LAYERS + "/" + digest.algorithm().id() + "/" + digest.hex();
    }

    /** Splits a key under {@link #ROOT} into the repository name and the rest, or null if malformed. */
    static String[] split(String key) {
        if (!key.startsWith(ROOT)) {
            return null;
        }
        String rest = key.substring(ROOT.length());
        int marker = rest.indexOf("/_");
        if (marker < 0) {
            return null;
        }
        return new String[] {rest.substring(0, marker), rest.substring(marker + 1)};
    }
}
