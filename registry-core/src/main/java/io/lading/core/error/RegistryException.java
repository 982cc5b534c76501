package io.lading.core.error;

import io.lading.core.digest.Digest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The domain errors of the registry. They carry data, never an HTTP status or a wire code: each API
 * family (OCI, ECR) maps every permitted subtype in one exhaustive {@code switch}, so a new error
 * breaks the build until both APIs say how to render it.
 */
public abstract sealed class RegistryException extends RuntimeException {

    RegistryException(String message) {
        super(message, null, false, false);
    }

    RegistryException(String message, Throwable cause) {
        super(message, cause, false, true);
    }

    /** A repository name that does not satisfy the naming rules. */
    public static final class NameInvalid extends RegistryException {
        private final String name;

        public NameInvalid(String name, String reason) {
            super(reason);
            this.name = name;
        }

        public String name() {
            return name;
        }
    }

    /** The repository does not exist (and was not created by this request). */
    public static final class RepositoryNotFound extends RegistryException {
        private final String name;

        public RepositoryNotFound(String name) {
            super("The repository with name '" + name + "' does not exist");
            this.name = name;
        }

        /** ECR's wording, which names the registry: {@code ... does not exist in the registry with id '<id>'}. */
        public String messageIn(String registryId) {
            return getMessage() + " in the registry with id '" + registryId + "'";
        }

        public String name() {
            return name;
        }
    }

    /**
     * A repository with that name already exists, or its record is in quarantine (it exists, unreadable:
     * creating it afresh would delete what is left of it).
     */
    public static final class RepositoryAlreadyExists extends RegistryException {
        private static final String QUARANTINED = "; its metadata record is quarantined as unreadable: repair or"
                + " remove it first (GET /_lading/quarantine, docs/operations.md)";
        private final String name;
        private final boolean quarantined;

        public RepositoryAlreadyExists(String name) {
            this(name, false);
        }

        private RepositoryAlreadyExists(String name, boolean quarantined) {
            super("The repository with name '" + name + "' already exists" + (quarantined ? QUARANTINED : ""));
            this.name = name;
            this.quarantined = quarantined;
        }

        /** The repository's record is in quarantine, so the name is taken until an operator resolves it. */
        public static RepositoryAlreadyExists quarantined(String name) {
            return new RepositoryAlreadyExists(name, true);
        }

        /** ECR's wording, which names the registry, then why if the record is quarantined. */
        public String messageIn(String registryId) {
            return "The repository with name '" + name + "' already exists in the registry with id '" + registryId
                    + "'" + (quarantined ? QUARANTINED : "");
        }

        public String name() {
            return name;
        }
    }

    /** A repository that still holds images and was not deleted with force. */
    public static final class RepositoryNotEmpty extends RegistryException {
        private final String name;

        public RepositoryNotEmpty(String name) {
            super("The repository with name '" + name + "' cannot be deleted because it still contains images");
            this.name = name;
        }

        /** ECR's wording, which names the registry: {@code ... 'x' in registry with id '<id>' cannot ...}. */
        public String messageIn(String registryId) {
            return "The repository with name '" + name + "' in registry with id '" + registryId
                    + "' cannot be deleted because it still contains images";
        }
    }

    /** An existing tag that the repository's mutability settings forbid moving. */
    public static final class TagImmutable extends RegistryException {
        public TagImmutable(String tag, String repository) {
            super("The image tag '" + tag + "' already exists in the '" + repository
                    + "' repository and cannot be overwritten because the tag is immutable.");
        }
    }

    /** A PutImage that would change nothing: the manifest is stored and the tag already names it. */
    public static final class ImageAlreadyExists extends RegistryException {
        public ImageAlreadyExists(String digest, String tag, String repository) {
            super("Image with digest '" + digest + "' and tag '" + tag + "' already exists in the repository with name '"
                    + repository + "'");
        }
    }

    /** A stored policy (repository, registry or lifecycle) that does not exist. */
    public static final class PolicyNotFound extends RegistryException {
        /** Which policy. */
        public enum Kind { REPOSITORY, LIFECYCLE, REGISTRY }

        private final Kind kind;

        public PolicyNotFound(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /** A blob that is not stored, or not linked into the repository that asked for it. */
    public static final class BlobUnknown extends RegistryException {
        private final Digest digest;

        public BlobUnknown(Digest digest, String repository) {
            super("The layer with digest '" + digest + "' does not exist within the repository with name '"
                    + repository + "'");
            this.digest = digest;
        }

        public Digest digest() {
            return digest;
        }
    }

    /** No upload session with that id exists for that repository (never created, finished or expired). */
    public static final class UploadUnknown extends RegistryException {
        private final String uploadId;

        public UploadUnknown(String uploadId) {
            super("upload not found: " + uploadId);
            this.uploadId = uploadId;
        }

        public String uploadId() {
            return uploadId;
        }
    }

    /**
     * An upload whose commit found the blob already stored and kept that copy, which garbage collection (on
     * another node) deleted before the blob was linked: nothing was linked, and uploading again stores it.
     */
    public static final class UploadCollected extends RegistryException {
        public UploadCollected(String digest) {
            super("blob " + digest + " was garbage-collected while this upload committed; upload it again");
        }
    }

    /** An upload request that cannot be applied: a malformed Content-Range, a size over the limit. */
    public static final class UploadInvalid extends RegistryException {
        public UploadInvalid(String reason) {
            super(reason);
        }
    }

    /** A chunk whose range does not start at the session's current offset. */
    public static final class RangeInvalid extends RegistryException {
        private final long currentSize;

        public RangeInvalid(String reason, long currentSize) {
            super(reason);
            this.currentSize = currentSize;
        }

        /** How many bytes the session holds, so the client can resume from there. */
        public long currentSize() {
            return currentSize;
        }
    }

    /** A requested byte range that lies outside the blob. */
    public static final class RangeNotSatisfiable extends RegistryException {
        private final long size;

        public RangeNotSatisfiable(long size) {
            super("requested range not satisfiable");
            this.size = size;
        }

        public long size() {
            return size;
        }
    }

    /** A malformed digest, an unsupported algorithm, or content whose digest differs from the claim. */
    public static final class DigestInvalid extends RegistryException {
        public DigestInvalid(String reason) {
            super(reason);
        }
    }

    /** Content whose length differs from the length the client declared. */
    public static final class SizeInvalid extends RegistryException {
        public SizeInvalid(String reason) {
            super(reason);
        }
    }

    /** A tag or reference that does not satisfy the tag grammar. */
    public static final class TagInvalid extends RegistryException {
        public TagInvalid(String reason) {
            super(reason);
        }
    }

    /** The manifest named by tag or digest is not in the repository. */
    public static final class ManifestUnknown extends RegistryException {
        private final String reference;

        public ManifestUnknown(String reference) {
            super("Requested image not found");
            this.reference = reference;
        }

        public String reference() {
            return reference;
        }
    }

    /** A manifest that is structurally invalid (missing fields, too large, type mismatch). */
    public static final class ManifestInvalid extends RegistryException {
        public ManifestInvalid(String reason) {
            super(reason);
        }
    }

    /** A manifest that is not JSON or whose type cannot be determined or is not supported. */
    public static final class ManifestUnsupported extends RegistryException {
        public ManifestUnsupported(String reason) {
            super(reason);
        }
    }

    /** A manifest referencing blobs or child manifests that are not in the repository. */
    public static final class ManifestBlobUnknown extends RegistryException {
        private final List<Digest> missing;

        public ManifestBlobUnknown(List<Digest> missing) {
            super("blob unknown to registry: " + missing);
            this.missing = List.copyOf(missing);
        }

        public List<Digest> missing() {
            return missing;
        }
    }

    /** A manifest that cannot be deleted because an index in the same repository refers to it. */
    public static final class ReferencedByIndex extends RegistryException {
        public ReferencedByIndex(Digest digest, Digest index) {
            super("The image with digest '" + digest + "' is referenced by the manifest list '" + index
                    + "' and cannot be deleted");
        }
    }

    /** An operation this registry does not offer. */
    public static final class Unsupported extends RegistryException {
        public Unsupported(String reason) {
            super(reason);
        }
    }

    /** A request parameter (pagination, query) with an invalid value. */
    public static final class ParameterInvalid extends RegistryException {
        private final String parameter;

        public ParameterInvalid(String parameter, String reason) {
            super(reason);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    /**
     * A count or size quota would be exceeded. A hard quota (tags per image) stays exceeded until the client
     * changes what it asks for; a transient one ({@link #retryAfter()} present: open upload sessions) frees
     * up as other work finishes, so the client may try again later.
     */
    public static final class LimitExceeded extends RegistryException {
        private final String beforeRegistry;
        /** The rest of the message after the registry's name, or null when the message names no registry. */
        private final String afterRegistry;
        private final Duration retryAfter;

        public LimitExceeded(String reason) {
            this(reason, null, null);
        }

        private LimitExceeded(String beforeRegistry, String afterRegistry, Duration retryAfter) {
            super(afterRegistry == null ? beforeRegistry : beforeRegistry + afterRegistry);
            this.beforeRegistry = beforeRegistry;
            this.afterRegistry = afterRegistry;
            this.retryAfter = retryAfter;
        }

        /** A push that would give one image of {@code repository} more than {@code max} tags, {@code tag} first. */
        public static LimitExceeded tagsPerImage(String tag, String repository, int max) {
            return new LimitExceeded("Adding tag '" + tag + "' to an image in the repository with name '" + repository
                    + "'", " exceeds the maximum allowed number of tags per image which is '" + max + "'", null);
        }

        /**
         * A transient limit: the request may succeed if sent again after {@code retryAfter} (/v2:
         * {@code 429 TOOMANYREQUESTS} with {@code Retry-After}).
         */
        public static LimitExceeded transientLimit(String reason, Duration retryAfter) {
            return new LimitExceeded(reason, null, java.util.Objects.requireNonNull(retryAfter));
        }

        /** How long the client should wait before trying again; empty for a hard quota. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }

        /**
         * ECR's wording, which names the registry where ECR's does: {@code Adding tag 't' to an image in the
         * repository with name 'r' in registry with id '<id>' exceeds ...}; other reasons unchanged.
         */
        public String messageIn(String registryId) {
            return afterRegistry == null ? getMessage()
                    : beforeRegistry + " in registry with id '" + registryId + "'" + afterRegistry;
        }
    }

    /**
     * The caller sent requests faster than its rate limit allows; the request was not served and may be
     * sent again after {@link #retryAfter()} (/v2: {@code 429 TOOMANYREQUESTS} with {@code Retry-After};
     * ECR: {@code ThrottlingException}, which the AWS SDKs retry with backoff).
     */
    public static final class Throttled extends RegistryException {
        private final Duration retryAfter;

        public Throttled(String reason, Duration retryAfter) {
            super(reason);
            this.retryAfter = java.util.Objects.requireNonNull(retryAfter, "retryAfter");
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /**
     * The caller could not be authenticated. The kind says why, so each API can answer in its own terms
     * (ECR: {@code UnrecognizedClientException}, {@code InvalidSignatureException}, ...; /v2: 401 or 403).
     */
    public static final class AuthenticationFailed extends RegistryException {
        /** Why authentication failed. */
        public enum Kind {
            /** No credentials at all. */
            MISSING,
            /** Credentials present but not parseable (malformed Authorization header). */
            MALFORMED,
            /** An access key, user or token that this registry does not know. */
            UNKNOWN_CREDENTIAL,
            /** A SigV4 signature that does not match the request. */
            SIGNATURE_MISMATCH,
            /** A SigV4 request signed too long ago or too far in the future. */
            SIGNATURE_EXPIRED,
            /** A registry password past its expiry. */
            TOKEN_EXPIRED,
            /** A registry password that is structurally valid but forged or tampered with. */
            TOKEN_INVALID
        }

        private final Kind kind;

        public AuthenticationFailed(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /** The authenticated caller may not perform the action on the resource. */
    public static final class AccessDenied extends RegistryException {
        public AccessDenied(String message) {
            super(message);
        }
    }

    /** The storage backend failed; nothing the client sent was at fault. */
    public static final class StorageFailure extends RegistryException {
        public StorageFailure(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
