package io.lading.core.image;

import io.lading.core.digest.Digest;
import java.time.Instant;

/**
 * What a listing shows of one image: the fields of {@link ImageRecord} that DescribeImages, ListImages and
 * lifecycle selection read, without the blob and child lists (which cost a read per page and are not
 * shown). The parameters mean what they mean in {@link ImageRecord}.
 */
public record ImageSummary(
        Digest digest,
        String mediaType,
        long imageSize,
        Instant pushedAt,
        Instant lastPulledAt,
        Digest subject,
        String artifactType,
        String configMediaType) {

    /** The summary of a full record. */
    public static ImageSummary of(ImageRecord r) {
        return new ImageSummary(r.digest(), r.mediaType(), r.imageSize(), r.pushedAt(), r.lastPulledAt(), r.subject(),
                r.artifactType(), r.configMediaType());
    }
}
