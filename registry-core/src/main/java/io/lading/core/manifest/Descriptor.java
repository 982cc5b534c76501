package io.lading.core.manifest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.lading.core.digest.Digest;
import java.util.List;
import java.util.Map;

/**
 * An OCI content descriptor as it appears in manifests, indexes and the referrers response.
 *
 * <pre>{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:…","size":1234}</pre>
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md">OCI descriptor</a>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(
        String mediaType,
        Digest digest,
        long size,
        String artifactType,
        List<String> urls,
        Map<String, String> annotations,
        Map<String, Object> platform) {

    public Descriptor {
        urls = urls == null ? List.of() : List.copyOf(urls);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        platform = platform == null ? Map.of() : Map.copyOf(platform);
    }

    /** True if the content lives elsewhere (a foreign / non-distributable layer with {@code urls}). */
    @JsonIgnore
    public boolean isExternal() {
        return !urls.isEmpty();
    }
}
