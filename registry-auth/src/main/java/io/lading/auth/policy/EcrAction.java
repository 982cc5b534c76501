package io.lading.auth.policy;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The ECR action catalogue (spec §11): every {@code ecr:} action with its access level and
 * resource type. Actions with {@link ResourceType#NONE} are checked against the resource
 * {@code *}; the others against the repository ARN.
 *
 * <p>Immutable; thread-safe.
 */
public enum EcrAction {
    BatchCheckLayerAvailability(AccessLevel.READ, ResourceType.REPOSITORY),
    BatchDeleteImage(AccessLevel.WRITE, ResourceType.REPOSITORY),
    BatchGetImage(AccessLevel.READ, ResourceType.REPOSITORY),
    BatchGetRepositoryScanningConfiguration(AccessLevel.READ, ResourceType.REPOSITORY),
    BatchImportUpstreamImage(AccessLevel.WRITE, ResourceType.REPOSITORY),
    CompleteLayerUpload(AccessLevel.WRITE, ResourceType.REPOSITORY),
    CreatePullThroughCacheRule(AccessLevel.WRITE, ResourceType.NONE),
    CreateRepository(AccessLevel.WRITE, ResourceType.REPOSITORY),
    CreateRepositoryCreationTemplate(AccessLevel.WRITE, ResourceType.NONE),
    DeleteLifecyclePolicy(AccessLevel.WRITE, ResourceType.REPOSITORY),
    DeletePullThroughCacheRule(AccessLevel.WRITE, ResourceType.NONE),
    DeleteRegistryPolicy(AccessLevel.PERMISSIONS_MANAGEMENT, ResourceType.NONE),
    DeleteRepository(AccessLevel.WRITE, ResourceType.REPOSITORY),
    DeleteRepositoryCreationTemplate(AccessLevel.WRITE, ResourceType.NONE),
    DeleteRepositoryPolicy(AccessLevel.PERMISSIONS_MANAGEMENT, ResourceType.REPOSITORY),
    DeleteSigningConfiguration(AccessLevel.WRITE, ResourceType.NONE),
    DeregisterPullTimeUpdateExclusion(AccessLevel.WRITE, ResourceType.NONE),
    DescribeImageReplicationStatus(AccessLevel.READ, ResourceType.REPOSITORY),
    DescribeImageScanFindings(AccessLevel.READ, ResourceType.REPOSITORY),
    DescribeImageSigningStatus(AccessLevel.READ, ResourceType.REPOSITORY),
    DescribeImages(AccessLevel.LIST, ResourceType.REPOSITORY),
    DescribePullThroughCacheRules(AccessLevel.LIST, ResourceType.NONE),
    DescribeRegistry(AccessLevel.READ, ResourceType.NONE),
    DescribeRepositories(AccessLevel.READ, ResourceType.REPOSITORY),
    DescribeRepositoryCreationTemplates(AccessLevel.READ, ResourceType.NONE),
    GetAccountSetting(AccessLevel.READ, ResourceType.NONE),
    GetAuthorizationToken(AccessLevel.READ, ResourceType.NONE),
    GetDownloadUrlForLayer(AccessLevel.READ, ResourceType.REPOSITORY),
    GetImageCopyStatus(AccessLevel.READ, ResourceType.REPOSITORY),
    GetLifecyclePolicy(AccessLevel.READ, ResourceType.REPOSITORY),
    GetLifecyclePolicyPreview(AccessLevel.READ, ResourceType.REPOSITORY),
    GetRegistryPolicy(AccessLevel.READ, ResourceType.NONE),
    GetRegistryScanningConfiguration(AccessLevel.READ, ResourceType.NONE),
    GetRepositoryPolicy(AccessLevel.READ, ResourceType.REPOSITORY),
    GetSigningConfiguration(AccessLevel.READ, ResourceType.NONE),
    InitiateLayerUpload(AccessLevel.WRITE, ResourceType.REPOSITORY),
    ListImages(AccessLevel.LIST, ResourceType.REPOSITORY),
    ListPullTimeUpdateExclusions(AccessLevel.LIST, ResourceType.NONE),
    ListTagsForResource(AccessLevel.READ, ResourceType.REPOSITORY),
    PutAccountSetting(AccessLevel.WRITE, ResourceType.NONE),
    PutImage(AccessLevel.WRITE, ResourceType.REPOSITORY),
    PutImageScanningConfiguration(AccessLevel.WRITE, ResourceType.REPOSITORY),
    PutImageTagMutability(AccessLevel.WRITE, ResourceType.REPOSITORY),
    PutLifecyclePolicy(AccessLevel.WRITE, ResourceType.REPOSITORY),
    PutRegistryPolicy(AccessLevel.PERMISSIONS_MANAGEMENT, ResourceType.NONE),
    PutRegistryScanningConfiguration(AccessLevel.WRITE, ResourceType.NONE),
    PutReplicationConfiguration(AccessLevel.WRITE, ResourceType.NONE),
    PutSigningConfiguration(AccessLevel.WRITE, ResourceType.NONE),
    RegisterPullTimeUpdateExclusion(AccessLevel.WRITE, ResourceType.NONE),
    ReplicateImage(AccessLevel.WRITE, ResourceType.REPOSITORY),
    SetRepositoryPolicy(AccessLevel.PERMISSIONS_MANAGEMENT, ResourceType.REPOSITORY),
    StartImageScan(AccessLevel.WRITE, ResourceType.REPOSITORY),
    StartLifecyclePolicyPreview(AccessLevel.WRITE, ResourceType.REPOSITORY),
    TagResource(AccessLevel.TAGGING, ResourceType.REPOSITORY),
    UntagResource(AccessLevel.TAGGING, ResourceType.REPOSITORY),
    UpdateImageStorageClass(AccessLevel.WRITE, ResourceType.REPOSITORY),
    UpdatePullThroughCacheRule(AccessLevel.WRITE, ResourceType.NONE),
    UpdateRepositoryCreationTemplate(AccessLevel.WRITE, ResourceType.NONE),
    UploadLayerPart(AccessLevel.WRITE, ResourceType.REPOSITORY),
    ValidatePullThroughCacheRule(AccessLevel.READ, ResourceType.NONE);

    /** Access levels of the Service Authorization Reference. */
    public enum AccessLevel { READ, WRITE, LIST, TAGGING, PERMISSIONS_MANAGEMENT }

    /** Whether the action is checked against a repository ARN or against {@code *}. */
    public enum ResourceType { REPOSITORY, NONE }

    private static final Map<String, EcrAction> BY_NAME = new HashMap<>();

    static {
        for (EcrAction a : values()) {
            BY_NAME.put(a.actionName.toLowerCase(Locale.ROOT), a);
        }
    }

    private final AccessLevel accessLevel;
    private final ResourceType resourceType;
    private final String actionName;

    EcrAction(AccessLevel accessLevel, ResourceType resourceType) {
        this.accessLevel = accessLevel;
        this.resourceType = resourceType;
        this.actionName = "ecr:" + name();
    }

    /** The canonical action string, e.g. {@code ecr:BatchGetImage}. */
    public String actionName() {
        return actionName;
    }

    /** The access level. */
    public AccessLevel accessLevel() {
        return accessLevel;
    }

    /** The resource type. */
    public ResourceType resourceType() {
        return resourceType;
    }

    /** The request resource for this action: the repository ARN, or {@code *} for NONE-typed actions. */
    public String resourceFor(String repositoryArn) {
        return resourceType == ResourceType.NONE ? "*" : repositoryArn;
    }

    /** The action for {@code ecr:<Name>} (case-insensitive), if it is in the catalogue. */
    public static Optional<EcrAction> fromActionName(String action) {
        return Optional.ofNullable(BY_NAME.get(action.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String toString() {
        return actionName;
    }
}
