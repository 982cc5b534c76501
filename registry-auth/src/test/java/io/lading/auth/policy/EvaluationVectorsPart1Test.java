package io.lading.auth.policy;

import static io.lading.auth.policy.Fixtures.*;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Spec §16 vectors IV-01 to IV-15, with their exact inputs and expected decisions. */
class EvaluationVectorsPart1Test {

    private static final String GET = "ecr:BatchGetImage";
    private static final String PUT = "ecr:PutImage";

    @TestFactory
    Stream<DynamicNode> identityResourcePatterns() {
        PolicyDocument p = identity("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"],"
                + "\"Resource\":\"arn:aws:ecr:us-east-1:123456789012:repository/team/*\"}]}");
        return Stream.of(
                VectorCase.of("IV-01", "alice BatchGetImage on team/* grant", on(alice(), GET), identityOnly(p), Decision.ALLOW),
                VectorCase.of("IV-02", "alice PutImage not covered", on(alice(), PUT), identityOnly(p), Decision.NO_IDENTITY_ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> actionCaseAndQuestionMark() {
        return Stream.of(
                VectorCase.of("IV-03a", "ECR:batchGETimage matches case-insensitively", on(alice(), GET),
                        identityOnly(identityOf(stmt("Allow", q("ECR:batchGETimage"), q("*"), null))), Decision.ALLOW),
                VectorCase.of("IV-03b", "ecr:Put?mage matches PutImage", on(alice(), PUT),
                        identityOnly(identityOf(stmt("Allow", q("ecr:Put?mage"), q("*"), null))), Decision.ALLOW),
                VectorCase.of("IV-03c", "ecr:Put?mage does not match PutImageTagMutability",
                        on(alice(), "ecr:PutImageTagMutability"),
                        identityOnly(identityOf(stmt("Allow", q("ecr:Put?mage"), q("*"), null))), Decision.NO_IDENTITY_ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> resourceArnMatching() {
        return Stream.of(
                resource("IV-04", "repository/Team/* is case-sensitive", "arn:aws:ecr:us-east-1:123456789012:repository/Team/*",
                        REPO, Decision.NO_IDENTITY_ALLOW),
                resource("IV-05a", "* spans /", "arn:aws:ecr:us-east-1:123456789012:repository/team*", REPO, Decision.ALLOW),
                resource("IV-05b", "region wildcard and */app", "arn:aws:ecr:*:123456789012:repository/*/app", REPO, Decision.ALLOW),
                resource("IV-05c", "team/?pp", "arn:aws:ecr:us-east-1:123456789012:repository/team/?pp", REPO, Decision.ALLOW),
                resource("IV-05d", "team/?pp does not match team/app/v2",
                        "arn:aws:ecr:us-east-1:123456789012:repository/team/?pp", repo("team/app/v2"), Decision.NO_IDENTITY_ALLOW));
    }

    private static DynamicNode resource(String id, String what, String pattern, String resource, Decision expected) {
        RequestContext ctx = alice().action(GET).resource(resource).build();
        return VectorCase.of(id, what, ctx, identityOnly(identityOf(stmt("Allow", q(GET), q(pattern), null))), expected);
    }

    @TestFactory
    Stream<DynamicNode> repositoryDenyBeatsIdentityAllow() {
        PolicyDocument repoPolicy = repositoryPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"IPAllow\","
                + "\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"ecr:*\","
                + "\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}]}");
        AttachedPolicies p = policies(List.of(identity(IDALL)), repoPolicy, null);
        return Stream.of(
                VectorCase.of("IV-06a", "from 203.0.113.10", on(alice(), GET), p, Decision.DENIED_BY_RESOURCE),
                VectorCase.of("IV-06b", "from 10.20.30.40", on(alice().sourceIp("10.20.30.40"), GET), p, Decision.ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> sameAccountUserGrantInRepositoryPolicy() {
        PolicyDocument repoPolicy = repositoryPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/alice\"},"
                + "\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]}]}");
        AttachedPolicies p = policies(List.of(), repoPolicy, null);
        return Stream.of(
                VectorCase.of("IV-07a", "alice without identity policy, BatchGetImage", on(alice(), GET), p, Decision.ALLOW),
                VectorCase.of("IV-07b", "alice PutImage", on(alice(), PUT), p, Decision.NO_IDENTITY_ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> accountPrincipalIsDelegation() {
        PolicyDocument repoPolicy = repositoryPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"123456789012\"},\"Action\":\"ecr:BatchGetImage\"}]}");
        PolicyDocument idAllow = identityOf(stmt("Allow", q(GET), q("*"), null));
        return Stream.of(
                VectorCase.of("IV-08a", "alice without identity policy", on(alice(), GET), policies(List.of(), repoPolicy, null),
                        Decision.NO_IDENTITY_ALLOW),
                VectorCase.of("IV-08b", "alice with identity allow", on(alice(), GET), policies(List.of(idAllow), repoPolicy, null),
                        Decision.ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> crossAccountNeedsBothSides() {
        PolicyDocument repoPolicy = repositoryPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::210987654321:root\"},\"Action\":[\"ecr:BatchGetImage\","
                + "\"ecr:GetDownloadUrlForLayer\",\"ecr:BatchCheckLayerAvailability\"]}]}");
        PolicyDocument bobId = identityOf(stmt("Allow", "[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]", q("*"), null));
        return Stream.of(
                VectorCase.of("IV-09a", "both policies", on(bob(), GET), policies(List.of(bobId), repoPolicy, null), Decision.ALLOW),
                VectorCase.of("IV-09b", "no bob identity policy", on(bob(), GET), policies(List.of(), repoPolicy, null),
                        Decision.NO_IDENTITY_ALLOW),
                VectorCase.of("IV-09c", "no repository policy", on(bob(), GET), policies(List.of(bobId), null, null),
                        Decision.NO_RESOURCE_ALLOW),
                VectorCase.of("IV-09d", "BatchCheckLayerAvailability: resource side only",
                        on(bob(), "ecr:BatchCheckLayerAvailability"), policies(List.of(bobId), repoPolicy, null),
                        Decision.NO_IDENTITY_ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> roleArnReachesSession() {
        PolicyDocument repoPolicy = repositoryPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/ci-builder\"},\"Action\":[\"ecr:BatchGetImage\","
                + "\"ecr:GetDownloadUrlForLayer\",\"ecr:BatchCheckLayerAvailability\",\"ecr:InitiateLayerUpload\","
                + "\"ecr:UploadLayerPart\",\"ecr:CompleteLayerUpload\",\"ecr:PutImage\"]}]}");
        AttachedPolicies p = policies(List.of(), repoPolicy, null);
        RequestContext other = RequestContext.roleSession("arn:aws:sts::123456789012:assumed-role/other/x",
                        "arn:aws:iam::123456789012:role/other")
                .currentTime(NOW).sourceIp("203.0.113.10").secureTransport(true).action(PUT).resource(REPO)
                .resourceTags(REPO_TAGS).build();
        return Stream.of(
                VectorCase.of("IV-10a", "ci session via role ARN", on(ci(), PUT), p, Decision.ALLOW),
                VectorCase.of("IV-10b", "session of another role", other, p, Decision.NO_IDENTITY_ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> usernameVariableInResource() {
        String body = "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\","
                + "\"Resource\":\"arn:aws:ecr:us-east-1:123456789012:repository/${aws:username}/*\"}]}";
        AttachedPolicies p2012 = identityOnly(identity("{\"Version\":\"2012-10-17\"," + body));
        AttachedPolicies p2008 = identityOnly(identity("{\"Version\":\"2008-10-17\"," + body));
        String tools = repo("alice/tools");
        return Stream.of(
                VectorCase.of("IV-11a", "alice on alice/tools", alice().action(PUT).resource(tools).build(), p2012, Decision.ALLOW),
                VectorCase.of("IV-11b", "alice on team/app", on(alice(), PUT), p2012, Decision.NO_IDENTITY_ALLOW),
                VectorCase.of("IV-11c", "ci has no aws:username", ci().action(PUT).resource(tools).build(), p2012,
                        Decision.NO_IDENTITY_ALLOW),
                VectorCase.of("IV-11d", "Version 2008: variable is literal", alice().action(PUT).resource(tools).build(), p2008,
                        Decision.NO_IDENTITY_ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> notAction() {
        AttachedPolicies p = identityOnly(identity("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"NotAction\":[\"ecr:Delete*\",\"ecr:BatchDeleteImage\",\"ecr:SetRepositoryPolicy\"],\"Resource\":\"*\"}]}"));
        return Stream.of(
                VectorCase.of("IV-12a", "DeleteRepository excluded", on(alice(), "ecr:DeleteRepository"), p, Decision.NO_IDENTITY_ALLOW),
                VectorCase.of("IV-12b", "PutImage granted", on(alice(), PUT), p, Decision.ALLOW),
                VectorCase.of("IV-12c", "BatchDeleteImage excluded", on(alice(), "ecr:BatchDeleteImage"), p, Decision.NO_IDENTITY_ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> notResourceWithDeny() {
        AttachedPolicies p = identityOnly(identityOf(stmt("Allow", q("ecr:*"), q("*"), null),
                "{\"Effect\":\"Deny\",\"Action\":\"ecr:PutImage\","
                        + "\"NotResource\":\"arn:aws:ecr:us-east-1:123456789012:repository/team/*\"}"));
        return Stream.of(
                VectorCase.of("IV-13a", "PutImage on team/app", on(alice(), PUT), p, Decision.ALLOW),
                VectorCase.of("IV-13b", "PutImage on other/svc", alice().action(PUT).resource(repo("other/svc")).build(), p,
                        Decision.DENIED_BY_IDENTITY));
    }

    @TestFactory
    Stream<DynamicNode> resourceTags() {
        RequestContext staging = alice().action(GET).resource(repo("team/staging-app"))
                .resourceTags(Map.of("env", "staging")).build();
        return Stream.of(
                tag("IV-14a", "aws:ResourceTag/env = prod", "{\"StringEquals\":{\"aws:ResourceTag/env\":\"prod\"}}",
                        on(alice(), GET), Decision.ALLOW),
                tag("IV-14b", "staging repository", "{\"StringEquals\":{\"aws:ResourceTag/env\":\"prod\"}}", staging,
                        Decision.NO_IDENTITY_ALLOW),
                tag("IV-14c", "ECR:ResourceTag/ENV key name case-insensitive",
                        "{\"StringEquals\":{\"ECR:ResourceTag/ENV\":\"prod\"}}", on(alice(), GET), Decision.ALLOW),
                tag("IV-14d", "value PROD is case-sensitive", "{\"StringEquals\":{\"aws:ResourceTag/env\":\"PROD\"}}",
                        on(alice(), GET), Decision.NO_IDENTITY_ALLOW),
                tag("IV-14e", "StringEqualsIgnoreCase PROD", "{\"StringEqualsIgnoreCase\":{\"aws:ResourceTag/env\":\"PROD\"}}",
                        on(alice(), GET), Decision.ALLOW));
    }

    @TestFactory
    Stream<DynamicNode> dates() {
        String iso = "{\"DateLessThan\":{\"aws:CurrentTime\":\"2025-12-31T23:59:59Z\"}}";
        String epoch = "{\"DateLessThan\":{\"aws:CurrentTime\":\"1767225599\"}}";
        return Stream.of(
                tag("IV-15a", "request 2025-06-01", iso, on(alice(), GET), Decision.ALLOW),
                tag("IV-15b", "request 2026-01-01", iso,
                        on(alice().currentTime(Instant.parse("2026-01-01T00:00:00Z")), GET), Decision.NO_IDENTITY_ALLOW),
                tag("IV-15c", "epoch policy value", epoch, on(alice(), GET), Decision.ALLOW));
    }

    /** alice identity: Allow ecr:BatchGetImage on * with {@code condition}. */
    static DynamicNode tag(String id, String what, String condition, RequestContext ctx, Decision expected) {
        return VectorCase.of(id, what, ctx, identityOnly(identityOf(stmt("Allow", q(GET), q("*"), condition))), expected);
    }
}
