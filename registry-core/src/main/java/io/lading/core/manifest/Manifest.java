package io.lading.core.manifest;

import io.lading.core.digest.Digest;
import io.lading.core.mediatype.MediaTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, validated manifest with its exact bytes. The digest is computed over {@code bytes} (for
 * signed schema 1, over the payload without the signature block), never taken from the client.
 *
 * @param digest the content digest
 * @param mediaType the manifest's media type (essence, no parameters)
 * @param bytes the exact bytes as pushed; never modified (callers must not mutate the array)
 * @param config the config descriptor of an image manifest, or null
 * @param layers the layers of an image manifest (schema 1: its fsLayers as descriptors of unknown size)
 * @param children the manifests an index refers to
 * @param subject the manifest this one refers to (OCI 1.1 referrers), or null
 * @param artifactType the artifact type: the manifest's {@code artifactType}, else the config's media type
 *     for OCI image manifests, or null
 * @param annotations the manifest's annotations
 */
public record Manifest(
        Digest digest,
        String mediaType,
        byte[] bytes,
        Descriptor config,
        List<Descriptor> layers,
        List<Descriptor> children,
        Descriptor subject,
        String artifactType,
        Map<String, String> annotations) {

    public Manifest {
        layers = List.copyOf(layers);
        children = List.copyOf(children);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public boolean isIndex() {
        return MediaTypes.INDEXES.contains(mediaType);
    }

    public Optional<Descriptor> subjectDescriptor() {
        return Optional.ofNullable(subject);
    }

    /** Blobs (config and layers) this manifest needs in the repository; foreign layers excluded. */
    public List<Digest> referencedBlobs() {
        List<Digest> out = new ArrayList<>();
        if (config != null) {
            out.add(config.digest());
        }
        for (Descriptor d : layers) {
            if (!d.isExternal()) {
                out.add(d.digest());
            }
        }
        return out;
    }

    /** Child manifests this index needs in the repository. */
    public List<Digest> referencedManifests() {
        return children.stream().map(Descriptor::digest).toList();
    }

    /** Sum of config and layer sizes (image manifests), as ECR reports {@code imageSizeInBytes}. */
    public long contentSize() {
        long total = config == null ? 0 : config.size();
        for (Descriptor d : layers) {
            total += Math.max(0, d.size());
        }
        return total;
    }
}
