package io.lading.http.ecr;

import java.util.Arrays;
import java.util.Optional;

/**
 * All 58 operations of the ECR API (service model 2015-09-21), with their tier. Which are implemented
 * is decided by {@link EcrOperations}, the one table of handlers; {@code docs/ecr-api.md} is generated
 * from both (see {@code EcrApiDocTest}).
 */
public enum EcrOperation {
    CreateRepository(1), DescribeRepositories(1), DeleteRepository(1),
    ListImages(1), DescribeImages(1), BatchGetImage(1), BatchDeleteImage(1), PutImage(1),
    BatchCheckLayerAvailability(1), InitiateLayerUpload(1), UploadLayerPart(1), CompleteLayerUpload(1),
    GetDownloadUrlForLayer(1),
    GetAuthorizationToken(1),
    SetRepositoryPolicy(1), GetRepositoryPolicy(1), DeleteRepositoryPolicy(1),
    PutLifecyclePolicy(1), GetLifecyclePolicy(1), DeleteLifecyclePolicy(1),
    StartLifecyclePolicyPreview(1), GetLifecyclePolicyPreview(1),
    PutImageTagMutability(1),
    PutImageScanningConfiguration(1), BatchGetRepositoryScanningConfiguration(1),
    GetRegistryScanningConfiguration(1), PutRegistryScanningConfiguration(1),
    TagResource(1), UntagResource(1), ListTagsForResource(1),
    DescribeRegistry(1), PutRegistryPolicy(1), GetRegistryPolicy(1), DeleteRegistryPolicy(1),
    CreatePullThroughCacheRule(2), DescribePullThroughCacheRules(2), UpdatePullThroughCacheRule(2),
    DeletePullThroughCacheRule(2), ValidatePullThroughCacheRule(2),
    PutReplicationConfiguration(2), DescribeImageReplicationStatus(2),
    CreateRepositoryCreationTemplate(2), DescribeRepositoryCreationTemplates(2),
    UpdateRepositoryCreationTemplate(2), DeleteRepositoryCreationTemplate(2),
    PutSigningConfiguration(2), GetSigningConfiguration(2), DeleteSigningConfiguration(2),
    DescribeImageSigningStatus(2),
    GetAccountSetting(2), PutAccountSetting(2),
    StartImageScan(2), DescribeImageScanFindings(2),
    UpdateImageStorageClass(2),
    RegisterPullTimeUpdateExclusion(2), DeregisterPullTimeUpdateExclusion(2), ListPullTimeUpdateExclusions(2),
    ListImageReferrers(2);

    /** The {@code X-Amz-Target} prefix of every operation. */
    public static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";

    private final int tier;

    EcrOperation(int tier) {
        this.tier = tier;
    }

    public int tier() {
        return tier;
    }

    /** The operation an {@code X-Amz-Target} names (case-sensitive), if any. */
    public static Optional<EcrOperation> fromTarget(String target) {
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            return Optional.empty();
        }
        String name = target.substring(TARGET_PREFIX.length());
        return Arrays.stream(values()).filter(o -> o.name().equals(name)).findFirst();
    }
}
