package io.lading.auth.policy;

import static io.lading.auth.policy.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Spec §16 vectors IV-16 to IV-29, with their exact inputs and expected decisions. */
class EvaluationVectorsPart2Test {

    private static final String GET = "ecr:BatchGetImage";
    private static final String PUT = "ecr:PutImage";
    private static final String TAG = "ecr:TagResource";
    private static final String CREATE = "ecr:CreateRepository";

    @TestFactory
    Stream<DynamicNode> secureTransport() {
        PolicyDocument repoPolicy = repositoryPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}");
        AttachedPolicies p = policies(List.of(identity(IDALL)), repoPolicy, null);
        return Stream.of(
                VectorCase.of("IV-16a", "plain HTTP", on(alice().secureTransport(false), GET), p, Decision.DENIED_BY_RESOURCE),
                VectorCase.of("IV-16b", "HTTPS", on(alice(), GET), p, Decision.ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> nullOperator() {
        AttachedPolicies p = identityOnly(identityOf(stmt("Allow", q("ecr:*"), q("*"), null),
                stmt("Deny", q("ecr:*"), q("*"), "{\"Null\":{\"aws:PrincipalTag/team\":\"true\"}}")));
        return Stream.of(
                VectorCase.of("IV-17a", "alice has the team tag", on(alice(), GET), p, Decision.ALLOW),
                VectorCase.of("IV-17b", "carol has no tag", on(carol(), GET), p, Decision.DENIED_BY_IDENTITY));
    }

    @TestFactory
    Stream<DynamicNode> negatedOperatorWithMissingKey() {
        AttachedPolicies p = negatedDeny("StringNotEquals");
        return Stream.of(
                VectorCase.of("IV-18a", "alice team=payments", on(alice(), PUT), p, Decision.ALLOW),
                VectorCase.of("IV-18b", "dave team=search", on(dave(), PUT), p, Decision.DENIED_BY_IDENTITY),
                VectorCase.of("IV-18c", "carol without tag", on(carol(), PUT), p, Decision.DENIED_BY_IDENTITY),
                VectorCase.of("IV-18d", "carol, StringNotEqualsIfExists", on(carol(), PUT),
                        negatedDeny("StringNotEqualsIfExists"), Decision.DENIED_BY_IDENTITY));
    }

    private static AttachedPolicies negatedDeny(String operator) {
        return identityOnly(identityOf(stmt("Allow", q("ecr:*"), q("*"), null),
                stmt("Deny", q(PUT), q("*"), "{\"" + operator + "\":{\"aws:PrincipalTag/team\":\"payments\"}}")));
    }

    @TestFactory
    Stream<DynamicNode> ifExistsInAllow() {
        String c = "{\"StringEqualsIfExists\":{\"aws:ResourceTag/env\":\"prod\"}}";
        return Stream.of(
                EvaluationVectorsPart1Test.tag("IV-19a", "no env tag", c,
                        on(alice().resourceTags(Map.of("team", "payments")), GET), Decision.ALLOW),
                EvaluationVectorsPart1Test.tag("IV-19b", "env=dev", c,
                        on(alice().resourceTags(Map.of("env", "dev", "team", "payments")), GET), Decision.NO_IDENTITY_ALLOW),
                EvaluationVectorsPart1Test.tag("IV-19c", "env=prod", c, on(alice(), GET), Decision.ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> multiValuedTagKeys() {
        AttachedPolicies a = identityOnly(identityOf(stmt("Allow", "[\"ecr:TagResource\",\"ecr:CreateRepository\"]", q("*"),
                "{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"env\",\"team\"]}}")));
        AttachedPolicies b = identityOnly(identityOf(stmt("Allow", q(CREATE), q("*"),
                "{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":[\"env\"]}}")));
        AttachedPolicies c = identityOnly(identityOf(stmt("Allow", q(TAG), q("*"), null),
                stmt("Deny", q(TAG), q("*"), "{\"ForAnyValue:StringLike\":{\"aws:TagKeys\":[\"aws:*\",\"sys-*\"]}}")));
        RequestContext createNoTags = alice().action(CREATE).resource(repo("team/new")).resourceTags(Map.of()).build();
        return Stream.of(
                VectorCase.of("IV-20a", "A: TagResource {env:dev}", tagging(Map.of("env", "dev")), a, Decision.ALLOW),
                VectorCase.of("IV-20b", "A: TagResource {env:dev, owner:x}", tagging(Map.of("env", "dev", "owner", "x")), a,
                        Decision.NO_IDENTITY_ALLOW),
                VectorCase.of("IV-20c", "A: CreateRepository without tags", createNoTags, a, Decision.ALLOW),
                VectorCase.of("IV-20d", "B: CreateRepository without tags", createNoTags, b, Decision.NO_IDENTITY_ALLOW),
                VectorCase.of("IV-20e", "C: TagResource {env:a, sys-owner:b}", tagging(Map.of("env", "a", "sys-owner", "b")), c,
                        Decision.DENIED_BY_IDENTITY),
                VectorCase.of("IV-20f", "C: TagResource {env:a}", tagging(Map.of("env", "a")), c, Decision.ALLOW));
    }

    private static RequestContext tagging(Map<String, String> requestTags) {
        RequestContext.Builder b = alice().action(TAG).putMulti("aws:TagKeys", new ArrayList<>(requestTags.keySet()));
        requestTags.forEach((k, v) -> b.put("aws:RequestTag/" + k, v));
        return b.build();
    }

    @TestFactory
    Stream<DynamicNode> orWithinKeyAndAcrossKeys() {
        String c = "{\"StringEquals\":{\"aws:PrincipalTag/team\":[\"payments\",\"search\"],\"aws:ResourceTag/env\":\"prod\"},"
                + "\"IpAddress\":{\"aws:SourceIp\":[\"203.0.113.0/24\",\"198.51.100.7\"]}}";
        return Stream.of(
                EvaluationVectorsPart1Test.tag("IV-21a", "defaults", c, on(alice(), GET), Decision.ALLOW),
                EvaluationVectorsPart1Test.tag("IV-21b", "bare IP 198.51.100.7", c, on(alice().sourceIp("198.51.100.7"), GET),
                        Decision.ALLOW),
                EvaluationVectorsPart1Test.tag("IV-21c", "IP 198.51.100.8", c, on(alice().sourceIp("198.51.100.8"), GET),
                        Decision.NO_IDENTITY_ALLOW),
                EvaluationVectorsPart1Test.tag("IV-21d", "env=staging", c,
                        on(alice().resourceTags(Map.of("env", "staging", "team", "payments")), GET), Decision.NO_IDENTITY_ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> arnLikeOnPrincipalArn() {
        AttachedPolicies p = policies(List.of(), repositoryPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\",\"Condition\":{\"ArnLike\":"
                + "{\"aws:PrincipalArn\":\"arn:aws:iam::123456789012:role/ci-*\"}}}]}"), null);
        return Stream.of(
                VectorCase.of("IV-22a", "ci: PrincipalArn is the role ARN", on(ci(), GET), p, Decision.ALLOW),
                VectorCase.of("IV-22b", "alice", on(alice(), GET), p, Decision.NO_IDENTITY_ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> notPrincipalWithDeny() {
        String both = "[\"arn:aws:iam::123456789012:user/alice\",\"arn:aws:iam::123456789012:root\"]";
        String onlyAlice = "\"arn:aws:iam::123456789012:user/alice\"";
        return Stream.of(
                VectorCase.of("IV-23a", "alice: whole chain listed", on(alice(), PUT), notPrincipal(both), Decision.ALLOW),
                VectorCase.of("IV-23b", "ci not listed", on(ci(), PUT), notPrincipal(both), Decision.DENIED_BY_RESOURCE),
                VectorCase.of("IV-23c", "only alice's user ARN listed", on(alice(), PUT), notPrincipal(onlyAlice),
                        Decision.DENIED_BY_RESOURCE));
    }

    private static AttachedPolicies notPrincipal(String aws) {
        return policies(List.of(identity(IDALL)), repositoryPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Deny\",\"NotPrincipal\":{\"AWS\":" + aws + "},\"Action\":\"ecr:PutImage\"}]}"), null);
    }

    @TestFactory
    Stream<DynamicNode> actionsWithoutResourceType() {
        String token = "ecr:GetAuthorizationToken";
        RequestContext ctx = alice().action(token).resource("*").resourceTags(Map.of()).build();
        PolicyDocument grantOnRepo = repositoryPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/alice\"},\"Action\":\"ecr:GetAuthorizationToken\"}]}");
        return Stream.of(
                VectorCase.of("IV-24a", "identity grant on repository/*", ctx,
                        identityOnly(identityOf(stmt("Allow", q(token), q("arn:aws:ecr:us-east-1:123456789012:repository/*"), null))),
                        Decision.NO_IDENTITY_ALLOW),
                VectorCase.of("IV-24b", "identity grant on *", ctx, identityOnly(identityOf(stmt("Allow", q(token), q("*"), null))),
                        Decision.ALLOW),
                VectorCase.of("IV-24c", "repository policy is not consulted", ctx, policies(List.of(), grantOnRepo, null),
                        Decision.NO_IDENTITY_ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> rootUser() {
        PolicyDocument deny = repositoryPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Principal\":{\"AWS\":\"123456789012\"},\"Action\":\"ecr:DeleteRepository\"}]}");
        return Stream.of(
                VectorCase.of("IV-25a", "no policies", on(root(), GET), policies(List.of(), null, null), Decision.ALLOW),
                VectorCase.of("IV-25b", "account deny covers root", on(root(), "ecr:DeleteRepository"),
                        policies(List.of(), deny, null), Decision.DENIED_BY_RESOURCE));
    }

    @TestFactory
    Stream<DynamicNode> registryPolicy() {
        PolicyDocument registry = Fixtures.registryPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::210987654321:root\"},\"Action\":\"ecr:BatchGetImage\","
                + "\"Resource\":\"arn:aws:ecr:us-east-1:123456789012:repository/shared/*\"}]}");
        PolicyDocument bobId = identityOf(stmt("Allow", "[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]", q("*"), null));
        AttachedPolicies p = policies(List.of(bobId), null, registry);
        return Stream.of(
                VectorCase.of("IV-26a", "bob on shared/base", bob().action(GET).resource(repo("shared/base")).build(), p,
                        Decision.ALLOW),
                VectorCase.of("IV-26b", "bob on team/app", on(bob(), GET), p, Decision.NO_RESOURCE_ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> variableWithDefault() {
        AttachedPolicies p = identityOnly(identityOf(stmt("Allow", q("ecr:*"),
                q("arn:aws:ecr:us-east-1:123456789012:repository/${aws:PrincipalTag/team, 'shared'}/*"), null)));
        return Stream.of(
                VectorCase.of("IV-27a", "alice on payments/api", alice().action(PUT).resource(repo("payments/api")).build(), p,
                        Decision.ALLOW),
                VectorCase.of("IV-27b", "carol on shared/base (default)", carol().action(PUT).resource(repo("shared/base")).build(),
                        p, Decision.ALLOW),
                VectorCase.of("IV-27c", "carol on payments/api", carol().action(PUT).resource(repo("payments/api")).build(), p,
                        Decision.NO_IDENTITY_ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> unresolvedVariableInNegatedCondition() {
        AttachedPolicies p = identityOnly(identityOf(stmt("Allow", q("ecr:*"), q("*"), null), stmt("Deny", q(PUT), q("*"),
                "{\"StringNotEquals\":{\"aws:ResourceTag/team\":\"${aws:PrincipalTag/team}\"}}")));
        return Stream.of(
                VectorCase.of("IV-28a", "alice team=payments", on(alice(), PUT), p, Decision.ALLOW),
                VectorCase.of("IV-28b", "dave team=search", on(dave(), PUT), p, Decision.DENIED_BY_IDENTITY),
                VectorCase.of("IV-28c", "carol: variable unresolved", on(carol(), PUT), p, Decision.DENIED_BY_IDENTITY));
    }

    @TestFactory
    Stream<DynamicNode> dockerApiMapping() {
        AttachedPolicies p = identityOnly(ManagedPolicies.get(ManagedPolicies.PULL_ONLY));
        return Stream.of(
                docker("IV-29a", "GET manifests/v1", V2Request.MANIFEST_GET, "ecr:BatchGetImage", p, Decision.ALLOW),
                docker("IV-29b", "GET blobs/sha256", V2Request.BLOB_GET, "ecr:GetDownloadUrlForLayer", p, Decision.ALLOW),
                docker("IV-29c", "HEAD blobs/sha256", V2Request.BLOB_HEAD, "ecr:BatchCheckLayerAvailability", p,
                        Decision.NO_IDENTITY_ALLOW),
                docker("IV-29d", "PUT manifests/v2", V2Request.MANIFEST_PUT, "ecr:PutImage", p, Decision.NO_IDENTITY_ALLOW),
                docker("IV-29e", "GET tags/list", V2Request.TAGS_LIST, "ecr:ListImages", p, Decision.NO_IDENTITY_ALLOW));
    }

    private static DynamicNode docker(String id, String what, V2Request request, String action, AttachedPolicies p,
            Decision expected) {
        String name = id + " ci " + what + " checks " + action + " -> " + expected.outcome();
        return VectorCase.named(id, DynamicTest.dynamicTest(name, () -> {
            List<ActionRequirement> reqs = RegistryApiActions.requirements(request, REPO, null);
            assertEquals(1, reqs.size());
            assertEquals(action, reqs.get(0).action().actionName());
            RequestContext ctx = ci().action(action).resource(reqs.get(0).resource()).build();
            assertEquals(expected, PolicyEvaluator.decide(ctx, p));
        }));
    }

    @Test
    @DisplayName("IV-29d 403 DENIED message text")
    void iv29dDeniedBodyMessage() {
        RequestContext ctx = on(ci(), PUT);
        Decision d = PolicyEvaluator.decide(ctx, identityOnly(ManagedPolicies.get(ManagedPolicies.PULL_ONLY)));
        assertTrue(!d.allowed());
        assertEquals("User: arn:aws:sts::123456789012:assumed-role/ci-builder/build-42 is not authorized to perform: "
                + "ecr:PutImage on resource: arn:aws:ecr:us-east-1:123456789012:repository/team/app because no "
                + "identity-based policy allows the ecr:PutImage action", AccessDeniedMessage.of(ctx, d));
    }
}
