package io.lading.core.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.lading.core.digest.Digest;
import io.lading.core.manifest.Manifest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the registry keeps about one image (one manifest in one repository), persisted as JSON and
 * held in memory for every request. Immutable; a pull-time update makes a new record.
 *
 * @param digest the image digest (the manifest's content digest)
 * @param contentBlob the blob holding the manifest's exact bytes (differs from {@code digest} only for
 *     signed schema 1, whose digest covers the payload without signatures)
 * @param mediaType manifest media type
 * @param manifestSize manifest size in bytes
 * @param imageSize sum of config and layer sizes (ECR's {@code imageSizeInBytes}); for an index, the
 *     largest child known when it was pushed
 * @param pushedAt when the digest first appeared in the repository
 * @param lastPulledAt last recorded pull, or null
 * @param blobs config and layer digests this image needs
 * @param children the manifests an index refers to
 * @param subject the manifest this one refers to (OCI referrers), or null
 * @param artifactType the artifact type for the referrers API, or null
 * @param configMediaType the config's media type, or null
 * @param annotations the manifest's annotations
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageRecord(
        Digest digest,
        Digest contentBlob,
        String mediaType,
        long manifestSize,
        long imageSize,
        Instant pushedAt,
        Instant lastPulledAt,
        List<Digest> blobs,
        List<Digest> children,
        Digest subject,
        String artifactType,
        String configMediaType,
        Map<String, String> annotations) {

    public ImageRecord {
        blobs = blobs == null ? List.of() : List.copyOf(blobs);
        children = children == null ? List.of() : List.copyOf(children);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** The record for a manifest first pushed at {@code now}. */
    public static ImageRecord of(Manifest m, Digest contentBlob, long imageSize, Instant now) {
        return new ImageRecord(m.digest(), contentBlob, m.mediaType(), m.bytes().length, imageSize, now, null,
                m.referencedBlobs(), m.referencedManifests(),
                m.subject() == null ? null : m.subject().digest(), m.artifactType(),
                m.config() == null ? null : m.config().mediaType(), m.annotations());
    }

    public ImageRecord withLastPulledAt(Instant at) {
        return new ImageRecord(digest, contentBlob, mediaType, manifestSize, imageSize, pushedAt, at, blobs, children,
                subject, artifactType, configMediaType, annotations);
    }
}
