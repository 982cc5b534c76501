package io.lading.lifecycle.plan;

import io.lading.lifecycle.policy.StorageClass;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the lifecycle engine knows about one image (one manifest digest in the repository) at snapshot
 * time. A value: immutable and thread-safe. The digest is opaque to the engine (any non-blank text), so
 * tests may use short names.
 *
 * <p>An image in the {@link StorageClass#ARCHIVE} class must carry {@code lastArchivedAt}: it is the
 * archive's sort time and the reference of {@code sinceImageTransitioned}.
 *
 * <pre>{@code
 * CandidateImage image = CandidateImage.builder("sha256:ab...", record.pushedAt())
 *         .tags(List.of("v1", "latest"))
 *         .lastRecordedPullTime(record.lastPulledAt())
 *         .referencedByManifestList(indexChildren.contains(record.digest()))
 *         .build();
 * }</pre>
 *
 * @param digest identity of the image ({@code imageDigest})
 * @param tags the tags currently pointing at it, possibly none (order kept for display)
 * @param pushedAt when the digest was first stored in the repository
 * @param lastRecordedPullTime the last recorded pull, or null if never pulled
 * @param storageClass the current class
 * @param lastArchivedAt when it last entered the archive, or null if never archived
 * @param lastActivatedAt when it was last restored from the archive, or null if never restored
 * @param referencedByManifestList true when an index stored in the same repository lists it as a child
 * @param sizeInBytes image size, for display and audit only
 * @param mediaType manifest media type, or null; for display and audit only
 * @param artifactType artifact type, or null; for display and audit only
 * @see "lifecycle-policy.md §2"
 */
public record CandidateImage(
        String digest,
        List<String> tags,
        Instant pushedAt,
        Instant lastRecordedPullTime,
        StorageClass storageClass,
        Instant lastArchivedAt,
        Instant lastActivatedAt,
        boolean referencedByManifestList,
        long sizeInBytes,
        String mediaType,
        String artifactType) {

    public CandidateImage {
        if (digest == null || digest.isBlank()) {
            throw new IllegalArgumentException("digest is required");
        }
        tags = List.copyOf(tags);
        Objects.requireNonNull(pushedAt, "pushedAt");
        Objects.requireNonNull(storageClass, "storageClass");
        if (storageClass == StorageClass.ARCHIVE && lastArchivedAt == null) {
            throw new IllegalArgumentException("an archived image needs lastArchivedAt: " + digest);
        }
    }

    /** True when no tag points at the image. */
    public boolean untagged() {
        return tags.isEmpty();
    }

    /** A builder for a standard-class, untagged, never pulled image; set what differs. */
    public static Builder builder(String digest, Instant pushedAt) {
        return new Builder(digest, pushedAt);
    }

    /** Builds a {@link CandidateImage}. Not thread-safe; use one per image. */
    public static final class Builder {
        private final String digest;
        private final Instant pushedAt;
        private List<String> tags = List.of();
        private Instant lastRecordedPullTime;
        private StorageClass storageClass = StorageClass.STANDARD;
        private Instant lastArchivedAt;
        private Instant lastActivatedAt;
        private boolean referencedByManifestList;
        private long sizeInBytes;
        private String mediaType;
        private String artifactType;

        private Builder(String digest, Instant pushedAt) {
            this.digest = digest;
            this.pushedAt = pushedAt;
        }

        public Builder tags(List<String> tags) {
            this.tags = tags;
            return this;
        }

        public Builder tags(String... tags) {
            return tags(List.of(tags));
        }

        public Builder lastRecordedPullTime(Instant at) {
            this.lastRecordedPullTime = at;
            return this;
        }

        public Builder storageClass(StorageClass storageClass) {
            this.storageClass = storageClass;
            return this;
        }

        public Builder lastArchivedAt(Instant at) {
            this.lastArchivedAt = at;
            return this;
        }

        public Builder lastActivatedAt(Instant at) {
            this.lastActivatedAt = at;
            return this;
        }

        public Builder referencedByManifestList(boolean referenced) {
            this.referencedByManifestList = referenced;
            return this;
        }

        public Builder sizeInBytes(long size) {
            this.sizeInBytes = size;
            return this;
        }

        public Builder mediaType(String mediaType) {
            this.mediaType = mediaType;
            return this;
        }

        public Builder artifactType(String artifactType) {
            this.artifactType = artifactType;
            return this;
        }

        public CandidateImage build() {
            return new CandidateImage(digest, tags, pushedAt, lastRecordedPullTime, storageClass, lastArchivedAt,
                    lastActivatedAt, referencedByManifestList, sizeInBytes, mediaType, artifactType);
        }
    }
}
