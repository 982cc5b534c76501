package io.lading.http.ecr;

/**
 * Every error the ECR JSON API sends, once: its {@code __type} and HTTP status. Modelled client
 * exceptions are 400, {@code ServerException} 500 (ecr-api.md 2.5 and 2.9).
 */
public enum EcrErrorType {
    SERVER("ServerException", 500),
    SERVICE_UNAVAILABLE("ServiceUnavailableException", 503),
    INVALID_PARAMETER("InvalidParameterException", 400),
    VALIDATION("ValidationException", 400),
    SERIALIZATION("SerializationException", 400),
    UNKNOWN_OPERATION("UnknownOperationException", 400),
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 400),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 400),
    INVALID_SIGNATURE("InvalidSignatureException", 400),
    INCOMPLETE_SIGNATURE("IncompleteSignatureException", 400),
    EXPIRED_TOKEN("ExpiredTokenException", 400),
    ACCESS_DENIED("AccessDeniedException", 400),
    THROTTLING("ThrottlingException", 400),
    INVALID_TAG_PARAMETER("InvalidTagParameterException", 400),
    TOO_MANY_TAGS("TooManyTagsException", 400),
    LIMIT_EXCEEDED("LimitExceededException", 400),
    REPOSITORY_ALREADY_EXISTS("RepositoryAlreadyExistsException", 400),
    REPOSITORY_NOT_FOUND("RepositoryNotFoundException", 400),
    REPOSITORY_NOT_EMPTY("RepositoryNotEmptyException", 400),
    IMAGE_NOT_FOUND("ImageNotFoundException", 400),
    IMAGE_ALREADY_EXISTS("ImageAlreadyExistsException", 400),
    IMAGE_TAG_ALREADY_EXISTS("ImageTagAlreadyExistsException", 400),
    IMAGE_DIGEST_DOES_NOT_MATCH("ImageDigestDoesNotMatchException", 400),
    LAYERS_NOT_FOUND("LayersNotFoundException", 400),
    REFERENCED_IMAGES_NOT_FOUND("ReferencedImagesNotFoundException", 400),
    LAYER_INACCESSIBLE("LayerInaccessibleException", 400),
    INVALID_LAYER("InvalidLayerException", 400),
    INVALID_LAYER_PART("InvalidLayerPartException", 400),
    LAYER_PART_TOO_SMALL("LayerPartTooSmallException", 400),
    LAYER_ALREADY_EXISTS("LayerAlreadyExistsException", 400),
    EMPTY_UPLOAD("EmptyUploadException", 400),
    UPLOAD_NOT_FOUND("UploadNotFoundException", 400),
    REPOSITORY_POLICY_NOT_FOUND("RepositoryPolicyNotFoundException", 400),
    LIFECYCLE_POLICY_NOT_FOUND("LifecyclePolicyNotFoundException", 400),
    LIFECYCLE_POLICY_PREVIEW_NOT_FOUND("LifecyclePolicyPreviewNotFoundException", 400),
    LIFECYCLE_POLICY_PREVIEW_IN_PROGRESS("LifecyclePolicyPreviewInProgressException", 400),
    REGISTRY_POLICY_NOT_FOUND("RegistryPolicyNotFoundException", 400),
    KMS("KmsException", 400);

    private final String type;
    private final int status;

    EcrErrorType(String type, int status) {
        this.type = type;
        this.status = status;
    }

    /** The {@code __type} value (the model's exception shape name). */
    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    /** An exception of this type with a message. */
    public EcrException error(String message) {
        return new EcrException(this, message);
    }
}
