package io.lading.auth.policy;

import static io.lading.auth.policy.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Evaluation rules beyond the vectors: §8 consultation, §9 edge cases, §10 messages, caching. */
class EvaluatorTest {

    private static final String GET = "ecr:BatchGetImage";

    @Test
    void identityDenyIsReportedBeforeResourceDeny() {
        PolicyDocument idDeny = identityOf(stmt("Deny", q(GET), q("*"), null));
        PolicyDocument repoDeny = repositoryPolicy("{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"ecr:*\"}]}");
        assertEquals(Decision.DENIED_BY_IDENTITY, PolicyEvaluator.decide(on(alice(), GET), policies(List.of(idDeny), repoDeny, null)));
    }

    @Test
    void crossAccountRootNeedsOnlyTheResourceSide() {
        RequestContext bobRoot = RequestContext.root(OTHER_ACCOUNT).currentTime(NOW).action(GET).resource(REPO).build();
        PolicyDocument repo = repositoryPolicy("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"210987654321\"},"
                + "\"Action\":\"ecr:BatchGetImage\"}]}");
        assertEquals(Decision.ALLOW, PolicyEvaluator.decide(bobRoot, policies(List.of(), repo, null)));
        assertEquals(Decision.NO_RESOURCE_ALLOW, PolicyEvaluator.decide(bobRoot, policies(List.of(), null, null)));
    }

    @Test
    void registryPolicyScopeV1ConsultedOnlyForItsActions() {
        PolicyDocument registry = registryPolicy("{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"ecr:*\","
                + "\"Resource\":\"*\"}]}");
        AttachedPolicies v1 = new AttachedPolicies(List.of(identity(IDALL)), null, registry, RegistryPolicyScope.V1, ACCOUNT);
        assertEquals(Decision.ALLOW, PolicyEvaluator.decide(on(alice(), GET), v1));
        assertEquals(Decision.DENIED_BY_RESOURCE, PolicyEvaluator.decide(on(alice(), "ecr:ReplicateImage"), v1));
        AttachedPolicies v2 = new AttachedPolicies(List.of(identity(IDALL)), null, registry, RegistryPolicyScope.V2, ACCOUNT);
        assertEquals(Decision.DENIED_BY_RESOURCE, PolicyEvaluator.decide(on(alice(), GET), v2));
        RequestContext token = alice().action("ecr:GetAuthorizationToken").resource("*").build();
        assertEquals(Decision.DENIED_BY_RESOURCE, PolicyEvaluator.decide(token, v2));
    }

    @Test
    void servicePrincipalMatchesOnlyItsService() {
        PolicyDocument repo = repositoryPolicy("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                + "\"replication.ecr.amazonaws.com\"},\"Action\":\"ecr:ReplicateImage\"}]}");
        RequestContext service = RequestContext.service("replication.ecr.amazonaws.com", OTHER_ACCOUNT).currentTime(NOW)
                .action("ecr:ReplicateImage").resource(REPO).build();
        assertEquals(Decision.ALLOW, PolicyEvaluator.decide(service, policies(List.of(), repo, null)));
        assertEquals(Decision.NO_RESOURCE_ALLOW, PolicyEvaluator.decide(service, policies(List.of(), null, null)));
        assertEquals(Decision.NO_IDENTITY_ALLOW, PolicyEvaluator.decide(on(alice(), "ecr:ReplicateImage"),
                policies(List.of(), repo, null)));
    }

    @Test
    void sessionArnGrantIsDirectAndFederatedNeverMatches() {
        PolicyDocument repo = repositoryPolicy("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:sts::123456789012:assumed-role/ci-builder/build-42\",\"Federated\":\"cognito-identity.amazonaws.com\"},"
                + "\"Action\":\"ecr:BatchGetImage\"}]}");
        assertEquals(Decision.ALLOW, PolicyEvaluator.decide(on(ci(), GET), policies(List.of(), repo, null)));
        assertEquals(Decision.NO_IDENTITY_ALLOW, PolicyEvaluator.decide(on(alice(), GET), policies(List.of(), repo, null)));
    }

    @Test
    void accessDeniedMessages() {
        RequestContext ctx = on(alice(), "ecr:PutImage");
        assertEquals("User: arn:aws:iam::123456789012:user/alice is not authorized to perform: ecr:PutImage on resource: "
                + "arn:aws:ecr:us-east-1:123456789012:repository/team/app because no identity-based policy allows the "
                + "ecr:PutImage action", AccessDeniedMessage.of(ctx, Decision.NO_IDENTITY_ALLOW));
        assertEquals("User: u is not authorized to perform: ecr:GetAuthorizationToken on resource: * with an explicit deny "
                + "in a resource-based policy", AccessDeniedMessage.of("u", "ecr:GetAuthorizationToken", "*",
                        Decision.DENIED_BY_RESOURCE));
        assertTrue(AccessDeniedMessage.of(ctx, Decision.NO_RESOURCE_ALLOW)
                .endsWith("because no resource-based policy allows the ecr:PutImage action"));
        assertTrue(AccessDeniedMessage.of(ctx, Decision.DENIED_BY_IDENTITY).endsWith("with an explicit deny in an identity-based policy"));
        assertThrows(IllegalArgumentException.class, () -> AccessDeniedMessage.of(ctx, Decision.ALLOW));
    }

    @Test
    void attachedPoliciesCheckKinds() {
        assertThrows(IllegalArgumentException.class, () -> policies(List.of(repositoryPolicy(
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\"}]}")), null, null));
    }

    @Test
    void cacheParsesOnceAndReplacesChangedText() {
        PolicyCache cache = new PolicyCache(2);
        PolicyDocument first = cache.get(REPO, PolicyKind.IDENTITY, IDALL);
        assertSame(first, cache.get(REPO, PolicyKind.IDENTITY, new String(IDALL)));
        String changed = IDALL.replace("ecr:*", "ecr:BatchGetImage");
        PolicyDocument second = cache.get(REPO, PolicyKind.IDENTITY, changed);
        assertEquals(changed, second.text());
        assertEquals(1, cache.size());
        assertSame(cache.get(PolicyKind.IDENTITY, IDALL), cache.get(PolicyKind.IDENTITY, IDALL));
        cache.get(PolicyKind.IDENTITY, changed);
        cache.get(PolicyKind.IDENTITY, changed.replace("Get", "Got"));
        assertTrue(cache.size() <= 2);
        assertThrows(PolicyInvalid.class, () -> cache.get(REPO, PolicyKind.IDENTITY, "{}"));
        cache.invalidate(REPO);
    }

    @Test
    void tenPoliciesGiveTheSameDecisionEveryTime() {
        List<PolicyDocument> identity = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            identity.add(identityOf(stmt("Allow", "[\"ecr:Describe*\",\"ecr:List*\"]", q("arn:aws:ecr:*:123456789012:repository/p" + i + "/*"),
                    "{\"StringEquals\":{\"aws:ResourceTag/env\":\"prod\"},\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"),
                    stmt("Deny", q("ecr:Delete*"), q("arn:aws:ecr:us-east-1:123456789012:repository/${aws:username}/*"), null)));
        }
        PolicyDocument repo = repositoryPolicy("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::123456789012:user/alice\"},\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"],"
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}]}");
        AttachedPolicies p = policies(identity, repo, null);
        RequestContext ctx = on(alice(), GET);
        assertEquals(Decision.ALLOW, PolicyEvaluator.decide(ctx, p));
        // parsed policies are reused across requests: repeated decisions must not drift (the speed itself is
        // measured by bench/PolicyEvalBench.java, not asserted here)
        int rounds = 10_000;
        int allowed = 0;
        for (int i = 0; i < rounds; i++) {
            allowed += PolicyEvaluator.decide(ctx, p).allowed() ? 1 : 0;
        }
        assertEquals(rounds, allowed);
    }
}
