package io.lading.http.oci;

import io.lading.core.error.RegistryException;
import io.lading.core.error.RegistryException.AccessDenied;
import io.lading.core.error.RegistryException.ImageAlreadyExists;
import io.lading.core.error.RegistryException.PolicyNotFound;
import io.lading.core.error.RegistryException.RepositoryAlreadyExists;
import io.lading.core.error.RegistryException.RepositoryNotEmpty;
import io.lading.core.error.RegistryException.TagImmutable;
import io.lading.core.error.RegistryException.AuthenticationFailed;
import io.lading.core.error.RegistryException.BlobUnknown;
import io.lading.core.error.RegistryException.DigestInvalid;
import io.lading.core.error.RegistryException.LimitExceeded;
import io.lading.core.error.RegistryException.Throttled;
import io.lading.core.error.RegistryException.ManifestBlobUnknown;
import io.lading.core.error.RegistryException.ManifestInvalid;
import io.lading.core.error.RegistryException.ManifestUnknown;
import io.lading.core.error.RegistryException.ManifestUnsupported;
import io.lading.core.error.RegistryException.NameInvalid;
import io.lading.core.error.RegistryException.ParameterInvalid;
import io.lading.core.error.RegistryException.RangeInvalid;
import io.lading.core.error.RegistryException.RangeNotSatisfiable;
import io.lading.core.error.RegistryException.ReferencedByIndex;
import io.lading.core.error.RegistryException.RepositoryNotFound;
import io.lading.core.error.RegistryException.SizeInvalid;
import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.error.RegistryException.TagInvalid;
import io.lading.core.error.RegistryException.Unsupported;
import io.lading.core.error.RegistryException.UploadCollected;
import io.lading.core.error.RegistryException.UploadInvalid;
import io.lading.core.error.RegistryException.UploadUnknown;
import java.util.List;
import java.util.Map;

/** Maps every domain error to its {@code /v2} error, exhaustively (no default branch). */
public final class OciErrors {

    private OciErrors() {
    }

    /**
     * The /v2 error for {@code e}; messages that name the registry, as ECR's do, name {@code registryId}.
     */
    public static OciError of(RegistryException e, String registryId) {
        return switch (e) {
            case NameInvalid n -> OciErrorCode.NAME_INVALID.error(n.getMessage(), Map.of("name", String.valueOf(n.name())));
            case RepositoryNotFound r -> OciErrorCode.NAME_UNKNOWN.error(r.messageIn(registryId), Map.of("name", r.name()));
            case BlobUnknown b -> OciErrorCode.BLOB_UNKNOWN.error(b.getMessage(), Map.of("digest", b.digest().toString()));
            case UploadUnknown u -> OciErrorCode.BLOB_UPLOAD_UNKNOWN.error(u.getMessage(), null);
            case UploadInvalid u -> OciErrorCode.BLOB_UPLOAD_INVALID.error(u.getMessage(), null);
            case UploadCollected u -> OciErrorCode.BLOB_UPLOAD_INVALID.error(u.getMessage(), null);
            case RangeInvalid r -> OciErrorCode.BLOB_UPLOAD_RANGE_INVALID.error(r.getMessage(),
                    Map.of("size", r.currentSize()));
            case RangeNotSatisfiable r -> OciErrorCode.RANGE_NOT_SATISFIABLE.error(r.getMessage(),
                    Map.of("size", r.size()));
            case DigestInvalid d -> OciErrorCode.DIGEST_INVALID.error(d.getMessage(), null);
            case SizeInvalid s -> OciErrorCode.SIZE_INVALID.error(s.getMessage(), null);
            case TagInvalid t -> OciErrorCode.TAG_INVALID.error(t.getMessage(), null);
            case ManifestUnknown m -> OciErrorCode.MANIFEST_UNKNOWN.error(m.getMessage(),
                    Map.of("reference", m.reference()));
            case ManifestInvalid m -> OciErrorCode.MANIFEST_INVALID.error(m.getMessage(), null);
            case ManifestUnsupported m -> OciErrorCode.MANIFEST_UNSUPPORTED.error(m.getMessage(), null);
            case ManifestBlobUnknown m -> manifestBlobUnknown(m);
            case ReferencedByIndex r -> OciErrorCode.REFERENCED_BY_INDEX.error(r.getMessage(), null);
            case Unsupported u -> OciErrorCode.UNSUPPORTED.error(u.getMessage(), null);
            case ParameterInvalid p -> OciErrorCode.PAGINATION_NUMBER_INVALID.error(p.getMessage(),
                    Map.of("parameter", p.parameter()));
            // a hard quota is ECR's 403 DENIED; a transient one (open upload sessions) asks the client to retry
            case LimitExceeded l -> l.retryAfter()
                    .map(wait -> OciErrorCode.TOO_MANY_REQUESTS.error(l.messageIn(registryId), null).withRetryAfter(wait))
                    .orElseGet(() -> OciErrorCode.DENIED.error(l.messageIn(registryId), null));
            case Throttled t -> OciErrorCode.TOO_MANY_REQUESTS.error(t.getMessage(), null).withRetryAfter(t.retryAfter());
            case StorageFailure s -> OciErrorCode.STORAGE_UNAVAILABLE.error(null, null);
            case AuthenticationFailed a -> switch (a.kind()) {
                case TOKEN_EXPIRED, TOKEN_INVALID -> OciErrorCode.DENIED.error(a.getMessage(), null);
                case MISSING, MALFORMED, UNKNOWN_CREDENTIAL, SIGNATURE_MISMATCH, SIGNATURE_EXPIRED ->
                        OciErrorCode.UNAUTHORIZED.error("Not Authorized", null);
            };
            case AccessDenied d -> OciErrorCode.DENIED.error(d.getMessage(), null);
            case TagImmutable t -> OciErrorCode.TAG_INVALID.error(t.getMessage(), null);
            // the following come only from control-plane operations; /v2 never triggers them
            case RepositoryAlreadyExists r -> OciErrorCode.UNSUPPORTED.error(r.getMessage(), null);
            case RepositoryNotEmpty r -> OciErrorCode.UNSUPPORTED.error(r.messageIn(registryId), null);
            case ImageAlreadyExists i -> OciErrorCode.UNSUPPORTED.error(i.getMessage(), null);
            case PolicyNotFound p -> OciErrorCode.UNSUPPORTED.error(p.getMessage(), null);
        };
    }

    private static OciError manifestBlobUnknown(ManifestBlobUnknown m) {
        List<OciError> rest = m.missing().stream().skip(1)
                .map(d -> OciErrorCode.MANIFEST_BLOB_UNKNOWN.error("blob unknown to registry",
                        Map.of("digest", d.toString())))
                .toList();
        return new OciError(OciErrorCode.MANIFEST_BLOB_UNKNOWN, "blob unknown to registry",
                Map.of("digest", m.missing().get(0).toString()), rest);
    }
}
