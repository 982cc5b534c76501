package io.lading.http.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.core.repository.RepositoryName;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.ecr.EcrTestSupport.TestUser;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.TestHttp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;

/**
 * A stored repository or registry policy that does not parse (written before validation was strict, by
 * hand, or damaged) fails closed: its resource denies everything but repairing the policy, it is counted
 * in {@code /_lading/metrics}, and a valid policy restores normal service.
 */
class UnparseableStoredPolicyTest {

    static final TestUser READER = new TestUser("reader", "AKIAREADERREADER0001", "reader-secret-000000000000", null,
            List.of("AmazonEC2ContainerRegistryReadOnly"));

    @RegisterExtension
    static final LadingServer server = EcrTestSupport.server(List.of(EcrTestSupport.TESTER, READER),
            "--auth.dataPlane=required");

    private static final String BROKEN = "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"ecr:*\"";

    private static long metric(String name) throws Exception {
        byte[] body = new TestHttp(server).send("GET", "/_lading/metrics", null, null).body();
        return new ObjectMapper().readTree(body).path(name).asLong(-1);
    }

    @Test
    void anUnparseableRepositoryPolicyDeniesInsteadOfVanishing() throws Exception {
        String repo = "broken-policy/app";
        try (EcrClient admin = EcrTestSupport.client(server); EcrClient reader = AuthzTestSupport.client(server, READER)) {
            admin.createRepository(b -> b.repositoryName(repo));
            assertEquals(0, reader.listImages(b -> b.repositoryName(repo)).imageIds().size());
            assertEquals(0, metric("authz.unparseablePolicies"));

            // a Deny-everything policy whose text is damaged: it must keep denying
            server.lading().registry().repositories().update(RepositoryName.of(repo),
                    r -> r.withRepositoryPolicy(BROKEN));

            EcrException denied = assertThrows(EcrException.class, () -> reader.listImages(b -> b.repositoryName(repo)));
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            assertEquals(403, new TestHttp(server, READER.accessKeyId(), READER.secret())
                    .send("GET", "/v2/" + repo + "/tags/list", null, null).statusCode());
            // even the operator: the stored document said Deny for everyone
            assertThrows(EcrException.class, () -> admin.listImages(b -> b.repositoryName(repo)));
            assertEquals(1, metric("authz.unparseablePolicies"));
            assertTrue(metric("authz.unparseablePolicyEvaluations") >= 3);

            // but the operator can read and repair it
            assertEquals(BROKEN, admin.getRepositoryPolicy(b -> b.repositoryName(repo)).policyText());
            admin.deleteRepositoryPolicy(b -> b.repositoryName(repo));
            assertEquals(0, reader.listImages(b -> b.repositoryName(repo)).imageIds().size());
            assertEquals(0, metric("authz.unparseablePolicies"));
        }
    }

    @Test
    void anUnparseableRegistryPolicyDeniesInsteadOfVanishing() throws Exception {
        String repo = "broken-registry-policy/app";
        try (EcrClient admin = EcrTestSupport.client(server); EcrClient reader = AuthzTestSupport.client(server, READER)) {
            admin.createRepository(b -> b.repositoryName(repo));
            server.lading().registry().accounts().update(EcrTestSupport.ACCOUNT, a -> a.withRegistryPolicy(BROKEN));
            try {
                EcrException denied = assertThrows(EcrException.class,
                        () -> reader.describeImages(b -> b.repositoryName(repo)));
                assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
                assertEquals(BROKEN, admin.getRegistryPolicy(b -> { }).policyText());
            } finally {
                admin.deleteRegistryPolicy(b -> { });
            }
            assertEquals(0, reader.describeImages(b -> b.repositoryName(repo)).imageDetails().size());
        }
    }
}
