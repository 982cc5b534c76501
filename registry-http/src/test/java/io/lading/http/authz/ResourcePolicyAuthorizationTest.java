package io.lading.http.authz;

import static io.lading.http.authz.AuthzTestSupport.denied;
import static io.lading.http.authz.AuthzTestSupport.deniedBody;
import static io.lading.http.authz.AuthzTestSupport.pushImage;
import static io.lading.http.authz.AuthzTestSupport.repoArn;
import static io.lading.http.authz.AuthzTestSupport.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.ecr.EcrTestSupport.TestUser;
import io.lading.http.testing.LadingServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;

/**
 * Repository policies: a grant to another account (cross-account pull needs both sides, iam-policy.md §9),
 * and the checks of SetRepositoryPolicy (§15.1: principal existence, lock-out with {@code force}).
 */
class ResourcePolicyAuthorizationTest {

    static final String OTHER_ACCOUNT = "210987654321";
    static final TestUser TESTER = EcrTestSupport.TESTER;
    static final TestUser PARTNER = new TestUser("partner", "AKIAPARTNERPARTN0001", "partner-secret-00000000000",
            OTHER_ACCOUNT, List.of("AmazonEC2ContainerRegistryPullOnly"));

    @RegisterExtension
    static final LadingServer server = EcrTestSupport.server(List.of(TESTER, PARTNER), "--auth.dataPlane=required");

    static EcrClient admin;

    @BeforeAll
    static void repositories() {
        admin = EcrTestSupport.client(server);
        admin.createRepository(b -> b.repositoryName("shared/app"));
        admin.createRepository(b -> b.repositoryName("private/app"));
        pushImage(admin, "shared/app", "v1");
        pushImage(admin, "private/app", "v1");
        admin.setRepositoryPolicy(b -> b.repositoryName("shared/app").policyText("""
                {"Version":"2012-10-17","Statement":[{"Sid":"partner pull","Effect":"Allow",
                  "Principal":{"AWS":"arn:aws:iam::210987654321:root"},
                  "Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"]}]}"""));
    }

    @Test
    void repositoryPolicyGrantsAnotherAccountPull() throws Exception {
        EcrClient partner = AuthzTestSupport.client(server, PARTNER);
        partner.getAuthorizationToken();
        assertEquals(1, partner.batchGetImage(b -> b.registryId(EcrTestSupport.ACCOUNT).repositoryName("shared/app")
                .imageIds(ImageIdentifier.builder().imageTag("v1").build())).images().size());
        EcrException e = assertThrows(EcrException.class, () -> partner.batchGetImage(b -> b
                .registryId(EcrTestSupport.ACCOUNT).repositoryName("private/app")
                .imageIds(ImageIdentifier.builder().imageTag("v1").build())));
        assertEquals(denied(PARTNER, "ecr:BatchGetImage", repoArn("private/app"),
                "because no resource-based policy allows the ecr:BatchGetImage action"), e.awsErrorDetails().errorMessage());
        // granted by the repository but not by the partner's own identity policy
        EcrException list = assertThrows(EcrException.class, () -> partner.listImages(b -> b.repositoryName("shared/app")));
        assertEquals(denied(PARTNER, "ecr:ListImages", repoArn("shared/app"),
                "because no identity-based policy allows the ecr:ListImages action"), list.awsErrorDetails().errorMessage());

        assertEquals(200, v2(server, PARTNER, "GET", "/v2/shared/app/manifests/v1", null).statusCode());
        HttpResponse<String> other = v2(server, PARTNER, "GET", "/v2/private/app/manifests/v1", null);
        assertEquals(403, other.statusCode());
        assertEquals(deniedBody(denied(PARTNER, "ecr:BatchGetImage", repoArn("private/app"),
                "because no resource-based policy allows the ecr:BatchGetImage action")), other.body());
        assertEquals(403, v2(server, PARTNER, "POST", "/v2/shared/app/blobs/uploads/", null).statusCode());
    }

    @Test
    void setRepositoryPolicyChecksPrincipalsAndLockOut() {
        InvalidParameterException missing = assertThrows(InvalidParameterException.class,
                () -> admin.setRepositoryPolicy(b -> b.repositoryName("private/app").policyText("""
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                          "Principal":{"AWS":"arn:aws:iam::123456789012:user/nobody"},"Action":"ecr:BatchGetImage"}]}""")));
        assertEquals("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Principal not found'",
                missing.awsErrorDetails().errorMessage());
        String lockOut = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny",
                  "Principal":{"AWS":"arn:aws:iam::123456789012:user/tester"},"Action":"ecr:SetRepositoryPolicy"}]}""";
        InvalidParameterException locked = assertThrows(InvalidParameterException.class,
                () -> admin.setRepositoryPolicy(b -> b.repositoryName("private/app").policyText(lockOut)));
        assertEquals("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'The policy would prevent you "
                + "from setting another policy in the future; use force to override'", locked.awsErrorDetails().errorMessage());
        admin.createRepository(b -> b.repositoryName("private/locked"));
        admin.setRepositoryPolicy(b -> b.repositoryName("private/locked").policyText(lockOut).force(true));
        EcrException denied = assertThrows(EcrException.class,
                () -> admin.setRepositoryPolicy(b -> b.repositoryName("private/locked").policyText(lockOut).force(true)));
        assertEquals(denied(TESTER, "ecr:SetRepositoryPolicy", repoArn("private/locked"),
                "with an explicit deny in a resource-based policy"), denied.awsErrorDetails().errorMessage());
    }
}
