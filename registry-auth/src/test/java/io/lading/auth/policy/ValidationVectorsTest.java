package io.lading.auth.policy;

import static io.lading.auth.policy.Fixtures.REPO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Spec §17 vectors IPV-01 to IPV-12 (SetRepositoryPolicy / PutRegistryPolicy validation). */
class ValidationVectorsTest {

    static final String INVALID_REPO =
            "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'";
    static final String INVALID_REGISTRY =
            "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'";
    static final String TOO_LONG = "Invalid parameter at 'policyText' failed to satisfy constraint: "
            + "'Member must have length less than or equal to 10240'";

    /** Account 123456789012 is managed here; alice, carol, dave and role ci-builder exist. */
    static final PrincipalDirectory DIRECTORY = new PrincipalDirectory() {
        private final Set<String> known = Set.of("arn:aws:iam::123456789012:user/alice",
                "arn:aws:iam::123456789012:user/carol", "arn:aws:iam::123456789012:user/dave",
                "arn:aws:iam::123456789012:role/ci-builder");

        @Override
        public boolean managesAccount(String accountId) {
            return accountId.equals(Fixtures.ACCOUNT);
        }

        @Override
        public boolean exists(String arn) {
            return known.contains(arn);
        }
    };

    private static final String IPV01 = "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Sid\":\"allow pull\",\"Effect\":"
            + "\"Allow\",\"Principal\":\"*\",\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]}]}";

    private static String ipv01With(String from, String to) {
        String out = IPV01.replace(from, to);
        if (out.equals(IPV01)) {
            throw new IllegalStateException("replacement had no effect: " + from);
        }
        return out;
    }

    private static RequestContext setPolicyByAlice() {
        return Fixtures.alice().action("ecr:SetRepositoryPolicy").resource(REPO).build();
    }

    private static PolicyDocument setRepositoryPolicy(String text, boolean force) {
        return RepositoryPolicyValidation.validate(text, setPolicyByAlice(), force, DIRECTORY);
    }

    private static PolicyDocument putRegistryPolicy(String text, RegistryPolicyScope scope) {
        return RegistryPolicyValidation.validate(text, scope, "aws", "us-east-1", Fixtures.ACCOUNT, DIRECTORY);
    }

    @TestFactory
    Stream<DynamicNode> repositoryPolicyVectors() {
        String lockOut = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\","
                + "\"Action\":\"ecr:SetRepositoryPolicy\"}]}";
        return Stream.of(
                accepted("IPV-01", "2008 Version, Sid with spaces", () -> setRepositoryPolicy(IPV01, false)),
                rejected("IPV-02", "Resource present", INVALID_REPO, PolicyInvalid.Reason.MALFORMED,
                        () -> setRepositoryPolicy(ipv01With("\"Action\":", "\"Resource\":\"*\",\"Action\":"), false)),
                rejected("IPV-03", "no Principal", INVALID_REPO, PolicyInvalid.Reason.MALFORMED,
                        () -> setRepositoryPolicy("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\"}]}", false)),
                rejected("IPV-04", "principal ghost does not exist",
                        "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Principal not found'",
                        PolicyInvalid.Reason.PRINCIPAL_NOT_FOUND, () -> setRepositoryPolicy(ipv01With("\"Principal\":\"*\"",
                                "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/ghost\"}"), false)),
                rejected("IPV-05", "partial wildcard principal", INVALID_REPO, PolicyInvalid.Reason.MALFORMED,
                        () -> setRepositoryPolicy(ipv01With("\"Principal\":\"*\"",
                                "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/*\"}"), false)),
                rejected("IPV-06", "Effect allow in lower case", INVALID_REPO, PolicyInvalid.Reason.MALFORMED,
                        () -> setRepositoryPolicy(ipv01With("\"Allow\"", "\"allow\""), false)),
                rejected("IPV-07", "unknown operator StringEqualz", INVALID_REPO, PolicyInvalid.Reason.MALFORMED,
                        () -> setRepositoryPolicy(ipv01With("]}]}",
                                "],\"Condition\":{\"StringEqualz\":{\"aws:username\":\"a\"}}}]}"), false)),
                rejected("IPV-08", "10 241 characters", TOO_LONG, PolicyInvalid.Reason.TOO_LONG,
                        () -> setRepositoryPolicy(padTo(IPV01, 10241), false)),
                accepted("IPV-08 boundary", "10 240 characters", () -> setRepositoryPolicy(padTo(IPV01, 10240), false)),
                rejected("IPV-09", "Deny of SetRepositoryPolicy to the caller without force",
                        RepositoryPolicyValidation.WOULD_LOCK_OUT, PolicyInvalid.Reason.WOULD_LOCK_OUT,
                        () -> setRepositoryPolicy(lockOut, false)),
                accepted("IPV-09 force", "same with force=true", () -> setRepositoryPolicy(lockOut, true)));
    }

    @TestFactory
    Stream<DynamicNode> registryPolicyVectors() {
        String getOnShared = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::210987654321:root\"},\"Action\":\"ecr:BatchGetImage\","
                + "\"Resource\":\"arn:aws:ecr:us-east-1:123456789012:repository/shared/*\"}]}";
        String noResource = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::210987654321:root\"},\"Action\":\"ecr:ReplicateImage\"}]}";
        return Stream.of(
                rejected("IPV-10", "scope V1 allowing ecr:BatchGetImage", INVALID_REGISTRY, PolicyInvalid.Reason.MALFORMED,
                        () -> putRegistryPolicy(getOnShared, RegistryPolicyScope.V1)),
                accepted("IPV-11", "scope V2 allowing ecr:BatchGetImage on shared/*",
                        () -> putRegistryPolicy(getOnShared, RegistryPolicyScope.V2)),
                rejected("IPV-12", "no Resource", INVALID_REGISTRY, PolicyInvalid.Reason.MALFORMED,
                        () -> putRegistryPolicy(noResource, RegistryPolicyScope.V2)));
    }

    static String padTo(String json, int length) {
        return json.substring(0, json.length() - 1) + " ".repeat(length - json.length()) + "}";
    }

    static DynamicNode accepted(String id, String what, Supplier<PolicyDocument> put) {
        return VectorCase.named(id, DynamicTest.dynamicTest(id + " " + what + " -> accepted", () -> {
            PolicyDocument doc = put.get();
            assertTrue(doc.statementCount() > 0);
        }));
    }

    static DynamicNode rejected(String id, String what, String message, PolicyInvalid.Reason reason,
            Supplier<PolicyDocument> put) {
        return VectorCase.named(id, DynamicTest.dynamicTest(id + " " + what + " -> " + reason, () -> {
            PolicyInvalid e = assertThrows(PolicyInvalid.class, put::get);
            assertEquals(message, e.getMessage(), e.detail());
            assertEquals(reason, e.reason());
            assertEquals("InvalidParameterException", e.errorType());
        }));
    }
}
