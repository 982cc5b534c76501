package io.lading.http.ecr;

import io.lading.core.error.RegistryException;
import io.lading.core.error.RegistryException.AccessDenied;
import io.lading.core.error.RegistryException.AuthenticationFailed;
import io.lading.core.error.RegistryException.BlobUnknown;
import io.lading.core.error.RegistryException.DigestInvalid;
import io.lading.core.error.RegistryException.ImageAlreadyExists;
import io.lading.core.error.RegistryException.LimitExceeded;
import io.lading.core.error.RegistryException.Throttled;
import io.lading.core.error.RegistryException.UploadCollected;
import io.lading.core.error.RegistryException.ManifestBlobUnknown;
import io.lading.core.error.RegistryException.ManifestInvalid;
import io.lading.core.error.RegistryException.ManifestUnknown;
import io.lading.core.error.RegistryException.ManifestUnsupported;
import io.lading.core.error.RegistryException.NameInvalid;
import io.lading.core.error.RegistryException.ParameterInvalid;
import io.lading.core.error.RegistryException.PolicyNotFound;
import io.lading.core.error.RegistryException.RangeInvalid;
import io.lading.core.error.RegistryException.RangeNotSatisfiable;
import io.lading.core.error.RegistryException.ReferencedByIndex;
import io.lading.core.error.RegistryException.RepositoryAlreadyExists;
import io.lading.core.error.RegistryException.RepositoryNotEmpty;
import io.lading.core.error.RegistryException.RepositoryNotFound;
import io.lading.core.error.RegistryException.SizeInvalid;
import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.error.RegistryException.TagImmutable;
import io.lading.core.error.RegistryException.TagInvalid;
import io.lading.core.error.RegistryException.Unsupported;
import io.lading.core.error.RegistryException.UploadInvalid;
import io.lading.core.error.RegistryException.UploadUnknown;

/**
 * Maps every domain error to its ECR error, exhaustively (no default branch). Operations whose AWS
 * error depends on context (a missing blob is {@code LayersNotFoundException} in one operation and a
 * per-item failure in another) translate before the error reaches this mapper.
 */
public final class EcrErrors {

    private EcrErrors() {
    }

    public static EcrException of(RegistryException e, String registryId) {
        String in = " in the registry with id '" + registryId + "'";
        return switch (e) {
            case NameInvalid n -> EcrErrorType.INVALID_PARAMETER.error(n.getMessage());
            case RepositoryNotFound r -> EcrErrorType.REPOSITORY_NOT_FOUND.error(r.messageIn(registryId));
            case RepositoryAlreadyExists r -> EcrErrorType.REPOSITORY_ALREADY_EXISTS.error(r.messageIn(registryId));
            case RepositoryNotEmpty r -> EcrErrorType.REPOSITORY_NOT_EMPTY.error(r.messageIn(registryId));
            case BlobUnknown b -> EcrErrorType.LAYERS_NOT_FOUND.error(b.getMessage() + in);
            case UploadUnknown u -> EcrErrorType.UPLOAD_NOT_FOUND.error("The upload with id '" + u.uploadId()
                    + "' does not exist");
            case UploadInvalid u -> EcrErrorType.LIMIT_EXCEEDED.error(u.getMessage());
            case UploadCollected u -> EcrErrorType.INVALID_LAYER.error(u.getMessage() + in);
            case RangeInvalid r -> EcrErrorType.INVALID_LAYER_PART.error("The layer part does not start at the expected byte")
                    .with("lastValidByteReceived", r.currentSize() > 0 ? r.currentSize() - 1 : null);
            case RangeNotSatisfiable r -> EcrErrorType.INVALID_PARAMETER.error(r.getMessage());
            case DigestInvalid d -> EcrErrorType.INVALID_PARAMETER.error(d.getMessage());
            case SizeInvalid s -> EcrErrorType.INVALID_PARAMETER.error(s.getMessage());
            case TagInvalid t -> EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'imageTag' failed to satisfy "
                    + "constraint: 'must satisfy regular expression '[a-zA-Z0-9-_.]+''");
            case TagImmutable t -> EcrErrorType.IMAGE_TAG_ALREADY_EXISTS.error(t.getMessage());
            case ImageAlreadyExists i -> EcrErrorType.IMAGE_ALREADY_EXISTS.error(i.getMessage() + in);
            case ManifestUnknown m -> EcrErrorType.IMAGE_NOT_FOUND.error("Requested image not found");
            case ManifestInvalid m -> EcrErrorType.INVALID_PARAMETER.error(
                    "Invalid parameter at 'ImageManifest' failed to satisfy constraint: '" + m.getMessage() + "'");
            case ManifestUnsupported m -> EcrErrorType.INVALID_PARAMETER.error(m.getMessage());
            case ManifestBlobUnknown m -> EcrErrorType.LAYERS_NOT_FOUND.error("Layers with digests " + m.missing()
                    + " required for pushing image into repository" + in + " do not exist");
            case ReferencedByIndex r -> EcrErrorType.INVALID_PARAMETER.error(r.getMessage());
            case Unsupported u -> EcrErrorType.VALIDATION.error(u.getMessage());
            case ParameterInvalid p -> EcrErrorType.INVALID_PARAMETER.error(p.getMessage());
            case LimitExceeded l -> EcrErrorType.LIMIT_EXCEEDED.error(l.messageIn(registryId));
            case Throttled t -> EcrErrorType.THROTTLING.error(t.getMessage());
            case PolicyNotFound p -> switch (p.kind()) {
                case REPOSITORY -> EcrErrorType.REPOSITORY_POLICY_NOT_FOUND.error(p.getMessage());
                case LIFECYCLE -> EcrErrorType.LIFECYCLE_POLICY_NOT_FOUND.error(p.getMessage());
                case REGISTRY -> EcrErrorType.REGISTRY_POLICY_NOT_FOUND.error(p.getMessage());
            };
            case AuthenticationFailed a -> switch (a.kind()) {
                case MISSING -> EcrErrorType.MISSING_AUTHENTICATION_TOKEN.error(a.getMessage());
                case MALFORMED -> EcrErrorType.INCOMPLETE_SIGNATURE.error(a.getMessage());
                case UNKNOWN_CREDENTIAL, TOKEN_INVALID -> EcrErrorType.UNRECOGNIZED_CLIENT.error(a.getMessage());
                case SIGNATURE_MISMATCH, SIGNATURE_EXPIRED -> EcrErrorType.INVALID_SIGNATURE.error(a.getMessage());
                case TOKEN_EXPIRED -> EcrErrorType.EXPIRED_TOKEN.error(a.getMessage());
            };
            case AccessDenied d -> EcrErrorType.ACCESS_DENIED.error(d.getMessage());
            case StorageFailure s -> EcrErrorType.SERVER.error("An internal error occurred");
        };
    }
}
