package io.lading.http.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lading.http.testing.LadingServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DeleteLifecyclePolicyResponse;
import software.amazon.awssdk.services.ecr.model.DeleteRegistryPolicyResponse;
import software.amazon.awssdk.services.ecr.model.DeleteRepositoryPolicyResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.GetLifecyclePolicyResponse;
import software.amazon.awssdk.services.ecr.model.GetRegistryPolicyResponse;
import software.amazon.awssdk.services.ecr.model.GetRepositoryPolicyResponse;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.PutLifecyclePolicyResponse;
import software.amazon.awssdk.services.ecr.model.PutRegistryPolicyResponse;
import software.amazon.awssdk.services.ecr.model.RegistryPolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.SetRepositoryPolicyResponse;

/** Repository, lifecycle and registry policy storage through the AWS SDK for Java v2. */
class EcrPolicyOperationsTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server();

    static EcrClient ecr;

    static final String ACCOUNT = EcrTestSupport.ACCOUNT;
    /** IPV-01. */
    static final String PULL_POLICY = "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Sid\":\"allow pull\",\"Effect\":\"Allow\","
            + "\"Principal\":\"*\",\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]}]}";
    /** Odd whitespace, member order, escapes and non-ASCII text: must come back exactly. */
    static final String IRREGULAR_POLICY = "{\n  \"Statement\" :{\"Effect\":\"Deny\",\t\"Sid\":\"naïve – \\\"quoted\\\"\","
            + "\"Principal\":{\"AWS\":[\"arn:aws:iam::210987654321:root\",\"123456789012\","
            + "\"arn:aws:sts::123456789012:assumed-role/ci/build-7\"]},\"NotAction\":\"ecr:Delete*\","
            + "\"Condition\":{\"StringLikeIfExists\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:role/ci-*\"},"
            + "\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":[\"a\",\"b\"]},\"NumericLessThan\":{\"ecr:x\":5},"
            + "\"DateGreaterThan\":{\"aws:CurrentTime\":\"2025-06-01T12:00:00Z\"},"
            + "\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]},\"Bool\":{\"aws:SecureTransport\":true}}},"
            + "\"Version\":\"2012-10-17\"}  \n";
    static final String LIFECYCLE = "{\"rules\":[{\"rulePriority\":1,\"description\":\"expire untagged\","
            + "\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\","
            + "\"countNumber\":14},\"action\":{\"type\":\"expire\"}}]}";
    static final String SHARED_REGISTRY_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"shared\","
            + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::210987654321:root\"},"
            + "\"Action\":[\"ecr:BatchGetImage\",\"ecr:CreateRepository\"],"
            + "\"Resource\":\"arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/shared/*\"}]}";

    @BeforeAll
    static void client() {
        ecr = EcrTestSupport.client(server);
        for (String n : List.of("pol/set", "pol/bad", "pol/exact", "life/cycle", "life/bad", "pol/missing", "life/missing")) {
            ecr.createRepository(b -> b.repositoryName(n));
        }
    }

    @AfterAll
    static void close() {
        ecr.close();
    }

    // --- repository policy ---

    @Test
    void setsGetsAndDeletesARepositoryPolicy() {
        SetRepositoryPolicyResponse set = ecr.setRepositoryPolicy(b -> b.repositoryName("pol/set").policyText(PULL_POLICY));
        assertEquals(ACCOUNT, set.registryId());
        assertEquals("pol/set", set.repositoryName());
        assertEquals(PULL_POLICY, set.policyText());

        GetRepositoryPolicyResponse got = ecr.getRepositoryPolicy(b -> b.repositoryName("pol/set").registryId(ACCOUNT));
        assertEquals(ACCOUNT, got.registryId());
        assertEquals("pol/set", got.repositoryName());
        assertEquals(PULL_POLICY, got.policyText());

        // replacing, with force (accepted; the lock-out check it skips is not evaluated here)
        ecr.setRepositoryPolicy(b -> b.repositoryName("pol/set").policyText(IRREGULAR_POLICY).force(true));
        assertEquals(IRREGULAR_POLICY, ecr.getRepositoryPolicy(b -> b.repositoryName("pol/set")).policyText());

        DeleteRepositoryPolicyResponse deleted = ecr.deleteRepositoryPolicy(b -> b.repositoryName("pol/set"));
        assertEquals(ACCOUNT, deleted.registryId());
        assertEquals("pol/set", deleted.repositoryName());
        assertEquals(IRREGULAR_POLICY, deleted.policyText());

        String missing = "Repository policy does not exist for the repository with name 'pol/set' in the registry "
                + "with id '" + ACCOUNT + "'";
        RepositoryPolicyNotFoundException get = assertThrows(RepositoryPolicyNotFoundException.class,
                () -> ecr.getRepositoryPolicy(b -> b.repositoryName("pol/set")));
        assertEquals(missing, get.awsErrorDetails().errorMessage());
        assertEquals("RepositoryPolicyNotFoundException", get.awsErrorDetails().errorCode());
        RepositoryPolicyNotFoundException del = assertThrows(RepositoryPolicyNotFoundException.class,
                () -> ecr.deleteRepositoryPolicy(b -> b.repositoryName("pol/set")));
        assertEquals(missing, del.awsErrorDetails().errorMessage());
    }

    @Test
    void storesPolicyTextByteExactAndKeepsItOutOfOtherRepositories() {
        ecr.setRepositoryPolicy(b -> b.repositoryName("pol/exact").policyText(IRREGULAR_POLICY));
        assertEquals(IRREGULAR_POLICY, ecr.getRepositoryPolicy(b -> b.repositoryName("pol/exact")).policyText());
        assertThrows(RepositoryPolicyNotFoundException.class,
                () -> ecr.getRepositoryPolicy(b -> b.repositoryName("pol/missing")));
        // a repository deleted and created again does not inherit the policy
        ecr.deleteRepository(b -> b.repositoryName("pol/exact"));
        ecr.createRepository(b -> b.repositoryName("pol/exact"));
        assertThrows(RepositoryPolicyNotFoundException.class,
                () -> ecr.getRepositoryPolicy(b -> b.repositoryName("pol/exact")));
    }

    @Test
    void refusesMalformedRepositoryPolicies() {
        String invalid = "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'";
        String stmt = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\"";
        List<String> bad = List.of(
                "",
                "not json",
                "[" + stmt + "}]",
                PULL_POLICY + " trailing",
                "{\"Version\":\"2012-10-17\"}",                                        // no Statement
                "{\"Statement\":[]}",                                                  // empty Statement list
                "{\"Statement\":[\"x\"]}",                                             // statement not an object
                "{\"Version\":\"2012-10-18\",\"Statement\":" + stmt + "}}",             // bad Version
                "{\"Statement\":" + stmt + "},\"Extra\":1}",                           // unknown element
                "{\"Statement\":" + stmt + ",\"Resource\":\"*\"}}",                    // IPV-02
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\"}]}",       // IPV-03 no Principal
                "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/*\"},"
                        + "\"Action\":\"ecr:*\"}}",                                    // IPV-05 partial wildcard
                "{\"Statement\":{\"Effect\":\"allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\"}}", // IPV-06
                "{\"Statement\":" + stmt + ",\"Condition\":{\"StringEqualz\":{\"aws:username\":\"a\"}}}}", // IPV-07
                "{\"Statement\":" + stmt + ",\"Action\":\"ecr:PutImage\"}}",           // duplicate key
                "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\"}}",          // no Action
                "{\"Statement\":" + stmt + ",\"NotAction\":\"ecr:PutImage\"}}",        // Action and NotAction
                "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[]}}", // empty list
                "{\"Statement\":{\"Effect\":\"Allow\",\"NotPrincipal\":\"*\",\"Action\":\"ecr:*\"}}", // NotPrincipal+Allow
                "{\"Statement\":{\"Effect\":\"Deny\",\"Principal\":\"*\",\"NotPrincipal\":\"*\",\"Action\":\"ecr:*\"}}",
                "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Users\":\"x\"},\"Action\":\"ecr:*\"}}",
                "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"bob\"},\"Action\":\"ecr:*\"}}",
                "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"BatchGetImage\"}}",
                "{\"Statement\":" + stmt + ",\"Condition\":{\"NumericLessThan\":{\"k\":\"ten\"}}}}",
                "{\"Statement\":" + stmt + ",\"Condition\":{\"DateLessThan\":{\"k\":\"yesterday\"}}}}",
                "{\"Statement\":" + stmt + ",\"Condition\":{\"IpAddress\":{\"k\":\"10.0.0.300/8\"}}}}",
                "{\"Statement\":" + stmt + ",\"Condition\":{\"IpAddress\":{\"k\":\"example.com\"}}}}",
                "{\"Statement\":" + stmt + ",\"Condition\":{\"StringEquals\":{}}}}");
        for (String text : bad) {
            InvalidParameterException e = assertThrows(InvalidParameterException.class,
                    () -> ecr.setRepositoryPolicy(b -> b.repositoryName("pol/bad").policyText(text)), text);
            assertEquals(invalid, e.awsErrorDetails().errorMessage(), text);
        }
        assertThrows(RepositoryPolicyNotFoundException.class,
                () -> ecr.getRepositoryPolicy(b -> b.repositoryName("pol/bad")));
    }

    @Test
    void enforcesThePolicyLengthLimit() {
        // IPV-08: 10,240 characters are accepted, 10,241 are not
        String exact = PULL_POLICY + " ".repeat(10_240 - PULL_POLICY.length());
        assertEquals(10_240, exact.length());
        assertEquals(exact, ecr.setRepositoryPolicy(b -> b.repositoryName("pol/bad").policyText(exact)).policyText());
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> ecr.setRepositoryPolicy(b -> b.repositoryName("pol/bad").policyText(exact + " ")));
        assertEquals("Invalid parameter at 'policyText' failed to satisfy constraint: "
                + "'Member must have length less than or equal to 10240'", e.awsErrorDetails().errorMessage());
        assertEquals(exact, ecr.getRepositoryPolicy(b -> b.repositoryName("pol/bad")).policyText());
        ecr.deleteRepositoryPolicy(b -> b.repositoryName("pol/bad"));
    }

    @Test
    void reportsMissingRepositoryAndMissingOrInvalidMembers() {
        String notFound = "The repository with name 'nope/none' does not exist in the registry with id '" + ACCOUNT + "'";
        assertEquals(notFound, assertThrows(RepositoryNotFoundException.class,
                () -> ecr.setRepositoryPolicy(b -> b.repositoryName("nope/none").policyText(PULL_POLICY)))
                .awsErrorDetails().errorMessage());
        assertEquals(notFound, assertThrows(RepositoryNotFoundException.class,
                () -> ecr.getRepositoryPolicy(b -> b.repositoryName("nope/none"))).awsErrorDetails().errorMessage());
        assertEquals(notFound, assertThrows(RepositoryNotFoundException.class,
                () -> ecr.deleteRepositoryPolicy(b -> b.repositoryName("nope/none"))).awsErrorDetails().errorMessage());
        assertEquals(notFound, assertThrows(RepositoryNotFoundException.class,
                () -> ecr.putLifecyclePolicy(b -> b.repositoryName("nope/none").lifecyclePolicyText(LIFECYCLE)))
                .awsErrorDetails().errorMessage());
        assertEquals(notFound, assertThrows(RepositoryNotFoundException.class,
                () -> ecr.getLifecyclePolicy(b -> b.repositoryName("nope/none"))).awsErrorDetails().errorMessage());
        assertEquals(notFound, assertThrows(RepositoryNotFoundException.class,
                () -> ecr.deleteLifecyclePolicy(b -> b.repositoryName("nope/none"))).awsErrorDetails().errorMessage());

        assertEquals("Invalid parameter at 'policyText' failed to satisfy constraint: 'Member must not be null'",
                assertThrows(InvalidParameterException.class,
                        () -> ecr.setRepositoryPolicy(b -> b.repositoryName("pol/bad"))).awsErrorDetails().errorMessage());
        assertEquals("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must not be null'",
                assertThrows(InvalidParameterException.class,
                        () -> ecr.getRepositoryPolicy(b -> b.registryId(ACCOUNT))).awsErrorDetails().errorMessage());
        InvalidParameterException badName = assertThrows(InvalidParameterException.class,
                () -> ecr.getLifecyclePolicy(b -> b.repositoryName("Bad/Name")));
        assertEquals("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular "
                + "expression '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*''",
                badName.awsErrorDetails().errorMessage());
        EcrException other = assertThrows(EcrException.class,
                () -> ecr.getRepositoryPolicy(b -> b.repositoryName("pol/set").registryId("210987654321")));
        assertEquals("AccessDeniedException", other.awsErrorDetails().errorCode());
    }

    // --- lifecycle policy ---

    @Test
    void putsGetsAndDeletesALifecyclePolicy() {
        String missing = "Lifecycle policy does not exist for the repository with name 'life/cycle' in the registry "
                + "with id '" + ACCOUNT + "'";
        LifecyclePolicyNotFoundException before = assertThrows(LifecyclePolicyNotFoundException.class,
                () -> ecr.getLifecyclePolicy(b -> b.repositoryName("life/cycle")));
        assertEquals(missing, before.awsErrorDetails().errorMessage());
        assertEquals("LifecyclePolicyNotFoundException", before.awsErrorDetails().errorCode());

        PutLifecyclePolicyResponse put = ecr.putLifecyclePolicy(b -> b.repositoryName("life/cycle")
                .lifecyclePolicyText(LIFECYCLE));
        assertEquals(ACCOUNT, put.registryId());
        assertEquals("life/cycle", put.repositoryName());
        assertEquals(LIFECYCLE, put.lifecyclePolicyText());

        GetLifecyclePolicyResponse got = ecr.getLifecyclePolicy(b -> b.repositoryName("life/cycle"));
        assertEquals(ACCOUNT, got.registryId());
        assertEquals("life/cycle", got.repositoryName());
        assertEquals(LIFECYCLE, got.lifecyclePolicyText());
        assertNull(got.lastEvaluatedAt()); // never evaluated: the member is omitted

        String replacement = LIFECYCLE.replace("14", "30") + "\n";
        assertEquals(replacement, ecr.putLifecyclePolicy(b -> b.repositoryName("life/cycle")
                .lifecyclePolicyText(replacement)).lifecyclePolicyText());

        DeleteLifecyclePolicyResponse deleted = ecr.deleteLifecyclePolicy(b -> b.repositoryName("life/cycle"));
        assertEquals(ACCOUNT, deleted.registryId());
        assertEquals("life/cycle", deleted.repositoryName());
        assertEquals(replacement, deleted.lifecyclePolicyText());
        assertNull(deleted.lastEvaluatedAt());

        assertEquals(missing, assertThrows(LifecyclePolicyNotFoundException.class,
                () -> ecr.getLifecyclePolicy(b -> b.repositoryName("life/cycle"))).awsErrorDetails().errorMessage());
        assertEquals(missing, assertThrows(LifecyclePolicyNotFoundException.class,
                () -> ecr.deleteLifecyclePolicy(b -> b.repositoryName("life/cycle"))).awsErrorDetails().errorMessage());
        // the repository policy is a separate document
        assertThrows(RepositoryPolicyNotFoundException.class,
                () -> ecr.getRepositoryPolicy(b -> b.repositoryName("life/cycle")));
    }

    @Test
    void refusesStructurallyInvalidLifecyclePolicies() {
        String prefix = "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: "
                + "'Lifecycle policy validation failure: ";
        String pad = " ".repeat(100);
        String rule = "{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\","
                + "\"countNumber\":5},\"action\":{\"type\":\"expire\"}}";
        List<List<String>> cases = List.of(
                List.of("not json at all" + pad, "Could not map policyString into LifecyclePolicy."),  // LVV-01
                List.of("[" + rule + "]" + pad, "Could not map policyString into LifecyclePolicy."),
                List.of("{\"rulez\":[" + rule + "]}", "object has missing required properties ([\"rules\"])"), // LVV-02
                List.of("{\"rules\":\"none\"}" + pad,
                        "instance type (string) does not match any allowed primitive type (allowed: [\"array\"])"),
                List.of("{\"rules\":null}" + pad,
                        "instance type (null) does not match any allowed primitive type (allowed: [\"array\"])"),
                List.of("{\"rules\":[]}" + pad,
                        "array is too short: must have at least 1 elements but instance has 0 elements"),
                List.of("{\"rules\":[7]}" + pad,
                        "instance type (integer) does not match any allowed primitive type (allowed: [\"object\"])"));
        for (List<String> c : cases) {
            InvalidParameterException e = assertThrows(InvalidParameterException.class,
                    () -> ecr.putLifecyclePolicy(b -> b.repositoryName("life/bad").lifecyclePolicyText(c.get(0))),
                    c.get(0));
            assertEquals(prefix + c.get(1) + "'", e.awsErrorDetails().errorMessage(), c.get(0));
        }
        // LVV-23 and the upper bound: lengths are checked before parsing
        String shortText = "{\"rules\":[{}]}" + " ".repeat(85);
        assertEquals(99, shortText.length());
        assertEquals("Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: "
                + "'Member must have length greater than or equal to 100'", assertThrows(InvalidParameterException.class,
                () -> ecr.putLifecyclePolicy(b -> b.repositoryName("life/bad").lifecyclePolicyText(shortText)))
                .awsErrorDetails().errorMessage());
        String longest = "{\"rules\":[" + rule + "]}" + " ".repeat(30_720 - rule.length() - 12);
        assertEquals(30_720, longest.length());
        assertEquals(longest, ecr.putLifecyclePolicy(b -> b.repositoryName("life/bad").lifecyclePolicyText(longest))
                .lifecyclePolicyText());
        assertEquals("Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: "
                + "'Member must have length less than or equal to 30720'", assertThrows(InvalidParameterException.class,
                () -> ecr.putLifecyclePolicy(b -> b.repositoryName("life/bad").lifecyclePolicyText(longest + " ")))
                .awsErrorDetails().errorMessage());
        assertEquals("Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: 'Member must not be null'",
                assertThrows(InvalidParameterException.class,
                        () -> ecr.putLifecyclePolicy(b -> b.repositoryName("life/bad"))).awsErrorDetails().errorMessage());
        // failed puts left the stored policy alone
        assertEquals(longest, ecr.getLifecyclePolicy(b -> b.repositoryName("life/bad")).lifecyclePolicyText());
    }

    @Test
    void tierTwoOperationsAnswerValidationException() {
        // routed but not implemented: a parseable ECR error, never a 404 (ecr-api.md 1)
        EcrException e = assertThrows(EcrException.class,
                () -> ecr.describePullThroughCacheRules(b -> { }));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertFalse(e.awsErrorDetails().errorMessage().isEmpty());
    }

    // --- registry policy ---

    @Test
    void putsGetsAndDeletesTheRegistryPolicy() {
        String missing = "Registry policy does not exist in the registry with id '" + ACCOUNT + "'";
        RegistryPolicyNotFoundException before = assertThrows(RegistryPolicyNotFoundException.class,
                () -> ecr.getRegistryPolicy(b -> { }));
        assertEquals(missing, before.awsErrorDetails().errorMessage());
        assertEquals("RegistryPolicyNotFoundException", before.awsErrorDetails().errorCode());
        assertEquals(missing, assertThrows(RegistryPolicyNotFoundException.class,
                () -> ecr.deleteRegistryPolicy(b -> { })).awsErrorDetails().errorMessage());

        PutRegistryPolicyResponse put = ecr.putRegistryPolicy(b -> b.policyText(SHARED_REGISTRY_POLICY));
        assertEquals(ACCOUNT, put.registryId());
        assertEquals(SHARED_REGISTRY_POLICY, put.policyText());
        GetRegistryPolicyResponse got = ecr.getRegistryPolicy(b -> { });
        assertEquals(ACCOUNT, got.registryId());
        assertEquals(SHARED_REGISTRY_POLICY, got.policyText());

        String everything = "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"210987654321\"},"
                + "\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"*\"}}";
        ecr.putRegistryPolicy(b -> b.policyText(everything));
        DeleteRegistryPolicyResponse deleted = ecr.deleteRegistryPolicy(b -> { });
        assertEquals(ACCOUNT, deleted.registryId());
        assertEquals(everything, deleted.policyText());
        assertEquals(missing, assertThrows(RegistryPolicyNotFoundException.class,
                () -> ecr.getRegistryPolicy(b -> { })).awsErrorDetails().errorMessage());
    }

    @Test
    void refusesMalformedRegistryPolicies() {
        String invalid = "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'";
        String head = "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"210987654321\"},"
                + "\"Action\":\"ecr:ReplicateImage\"";
        List<String> bad = List.of(
                "{}",
                head + "}}",                                                                         // IPV-12
                head + ",\"Resource\":\"arn:aws:ecr:us-east-1:210987654321:repository/x\"}}",      // other registry
                head + ",\"Resource\":\"arn:aws:ecr:eu-west-1:" + ACCOUNT + ":repository/x\"}}",    // other region
                head + ",\"Resource\":\"arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/\"}}",     // no name
                head + ",\"Resource\":\"*\",\"NotResource\":\"*\"}}",
                head + ",\"Resource\":[]}}",
                "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}}");
        for (String text : bad) {
            InvalidParameterException e = assertThrows(InvalidParameterException.class,
                    () -> ecr.putRegistryPolicy(b -> b.policyText(text)), text);
            assertEquals(invalid, e.awsErrorDetails().errorMessage(), text);
        }
        String tooLong = SHARED_REGISTRY_POLICY + " ".repeat(10_241 - SHARED_REGISTRY_POLICY.length());
        assertEquals("Invalid parameter at 'policyText' failed to satisfy constraint: "
                + "'Member must have length less than or equal to 10240'", assertThrows(InvalidParameterException.class,
                () -> ecr.putRegistryPolicy(b -> b.policyText(tooLong))).awsErrorDetails().errorMessage());
        assertEquals("Invalid parameter at 'policyText' failed to satisfy constraint: 'Member must not be null'",
                assertThrows(InvalidParameterException.class, () -> ecr.putRegistryPolicy(b -> { }))
                        .awsErrorDetails().errorMessage());
    }
}
