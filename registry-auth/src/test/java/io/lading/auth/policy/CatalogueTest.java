package io.lading.auth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The action catalogue (§11), the /v2 mapping (§12) and the managed policies (§14). */
class CatalogueTest {

    private static final String REPO = Fixtures.REPO;
    private static final String SRC = Fixtures.repo("base/img");

    @Test
    void catalogueHasEveryActionOnceWithItsResourceType() {
        assertEquals(60, EcrAction.values().length);
        assertEquals(EcrAction.ResourceType.NONE, EcrAction.GetAuthorizationToken.resourceType());
        assertEquals("*", EcrAction.GetAuthorizationToken.resourceFor(REPO));
        assertEquals(REPO, EcrAction.PutImage.resourceFor(REPO));
        assertEquals(EcrAction.ResourceType.REPOSITORY, EcrAction.CreateRepository.resourceType());
        assertEquals(EcrAction.AccessLevel.PERMISSIONS_MANAGEMENT, EcrAction.SetRepositoryPolicy.accessLevel());
        assertEquals(EcrAction.BatchGetImage, EcrAction.fromActionName("ECR:batchgetimage").orElseThrow());
        assertTrue(EcrAction.fromActionName("ecr:Nope").isEmpty());
    }

    private static List<String> actions(V2Request r) {
        return RegistryApiActions.requirements(r, REPO, SRC).stream().map(a -> a.action().actionName()).toList();
    }

    @Test
    void v2Mapping() {
        assertEquals(List.of(), actions(V2Request.BASE));
        assertEquals(List.of("ecr:BatchGetImage"), actions(V2Request.MANIFEST_GET));
        assertEquals(List.of("ecr:BatchGetImage"), actions(V2Request.MANIFEST_HEAD));
        assertEquals(List.of("ecr:BatchGetImage"), actions(V2Request.REFERRERS));
        assertEquals(List.of("ecr:GetDownloadUrlForLayer"), actions(V2Request.BLOB_GET));
        assertEquals(List.of("ecr:BatchCheckLayerAvailability"), actions(V2Request.BLOB_HEAD));
        assertEquals(List.of("ecr:InitiateLayerUpload"), actions(V2Request.UPLOAD_START));
        assertEquals(List.of("ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"),
                actions(V2Request.UPLOAD_MONOLITHIC));
        assertEquals(List.of("ecr:UploadLayerPart"), actions(V2Request.UPLOAD_CHUNK));
        assertEquals(List.of("ecr:UploadLayerPart"), actions(V2Request.UPLOAD_STATUS));
        assertEquals(List.of("ecr:UploadLayerPart"), actions(V2Request.UPLOAD_CANCEL));
        assertEquals(List.of("ecr:CompleteLayerUpload"), actions(V2Request.UPLOAD_COMPLETE));
        assertEquals(List.of("ecr:CompleteLayerUpload", "ecr:UploadLayerPart"), actions(V2Request.UPLOAD_COMPLETE_WITH_DATA));
        assertEquals(List.of("ecr:PutImage"), actions(V2Request.MANIFEST_PUT));
        assertEquals(List.of("ecr:BatchDeleteImage"), actions(V2Request.MANIFEST_DELETE));
        assertEquals(List.of("ecr:ListImages"), actions(V2Request.TAGS_LIST));
        assertEquals(List.of("ecr:DescribeRepositories"), actions(V2Request.CATALOG));
        assertEquals(ActionRequirement.OnFailure.OMIT_FROM_LISTING,
                RegistryApiActions.requirements(V2Request.CATALOG, REPO, null).get(0).onFailure());
        assertFalse(RegistryApiActions.isSupported(V2Request.BLOB_DELETE));
        assertThrows(IllegalArgumentException.class, () -> RegistryApiActions.requirements(V2Request.BLOB_DELETE, REPO, null));
    }

    @Test
    void mountNeedsPushOnTargetAndPullOnSourceWithFallback() {
        List<ActionRequirement> reqs = RegistryApiActions.requirements(V2Request.BLOB_MOUNT, REPO, SRC);
        assertEquals(new ActionRequirement(EcrAction.InitiateLayerUpload, REPO, ActionRequirement.OnFailure.DENY), reqs.get(0));
        assertEquals(new ActionRequirement(EcrAction.GetDownloadUrlForLayer, SRC, ActionRequirement.OnFailure.FALL_BACK_TO_UPLOAD),
                reqs.get(1));
    }

    @Test
    void ecrOperations() {
        assertEquals(List.of(EcrAction.PutImage), RegistryApiActions.forOperation("PutImage", false));
        assertEquals(List.of(EcrAction.CreateRepository, EcrAction.TagResource),
                RegistryApiActions.forOperation("CreateRepository", true));
        assertEquals(List.of(EcrAction.BatchGetImage), RegistryApiActions.forOperation("ListImageReferrers", false));
        assertEquals(List.of(EcrAction.BatchImportUpstreamImage, EcrAction.CreateRepository),
                RegistryApiActions.pullThroughCacheMiss(false));
    }

    private static boolean managedAllows(String policy, String action, String resource) {
        RequestContext ctx = Fixtures.alice().action(action).resource(resource).build();
        return PolicyEvaluator.decide(ctx, Fixtures.identityOnly(ManagedPolicies.get(policy))).allowed();
    }

    @Test
    void managedPolicies() {
        assertEquals(Set.of("AmazonEC2ContainerRegistryReadOnly", "AmazonEC2ContainerRegistryPowerUser",
                "AmazonEC2ContainerRegistryFullAccess", "AmazonEC2ContainerRegistryPullOnly"), ManagedPolicies.names());
        for (EcrAction a : EcrAction.values()) {
            assertTrue(managedAllows(ManagedPolicies.FULL_ACCESS, a.actionName(), a.resourceFor(REPO)), a.actionName());
        }
        assertTrue(managedAllows(ManagedPolicies.READ_ONLY, "ecr:DescribeImageScanFindings", REPO));
        assertTrue(managedAllows(ManagedPolicies.READ_ONLY, "ecr:GetAuthorizationToken", "*"));
        assertFalse(managedAllows(ManagedPolicies.READ_ONLY, "ecr:PutImage", REPO));
        assertTrue(managedAllows(ManagedPolicies.POWER_USER, "ecr:PutImage", REPO));
        assertTrue(managedAllows(ManagedPolicies.POWER_USER, "ecr:ListTagsForResource", REPO));
        assertFalse(managedAllows(ManagedPolicies.POWER_USER, "ecr:DeleteRepository", REPO));
        assertFalse(managedAllows(ManagedPolicies.POWER_USER, "ecr:SetRepositoryPolicy", REPO));
        assertTrue(managedAllows(ManagedPolicies.PULL_ONLY, "ecr:BatchImportUpstreamImage", REPO));
        assertFalse(managedAllows(ManagedPolicies.PULL_ONLY, "ecr:ListImages", REPO));
        assertTrue(ManagedPolicies.get(ManagedPolicies.FULL_ACCESS).text().contains("cloudtrail:LookupEvents"));
        assertTrue(ManagedPolicies.get(ManagedPolicies.FULL_ACCESS).text().contains("replication.ecr.amazonaws.com"));
        assertEquals(2, ManagedPolicies.get(ManagedPolicies.FULL_ACCESS).statementCount());
        assertTrue(ManagedPolicies.byName("Nope").isEmpty());
    }
}
