package io.lading.auth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The corpus of accepted and rejected Action and Resource forms (STYLE.md §7): widening or
 * narrowing the grammar must show up as a change to this file.
 */
class PolicyGrammarCorpusTest {

    private static PolicyDocument identityWith(String action, String resource) {
        return PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\""
                + action + "\",\"Resource\":\"" + resource + "\"}}", PolicyKind.IDENTITY);
    }

    @ParameterizedTest(name = "accepts action {0}")
    @ValueSource(strings = {"*", "ecr:*", "ecr:BatchGetImage", "ECR:batchgetimage", "ecr:Batch*", "ecr:*Image",
        "ecr:Put?mage", "ecr:???", "s3:GetObject", "cloudtrail:LookupEvents", "iam:CreateServiceLinkedRole",
        "execute-api:Invoke", "ecr:Get_Thing", "ecr:NoSuchAction"})
    void acceptedActions(String action) {
        assertEquals(1, identityWith(action, "*").statementCount());
    }

    @ParameterizedTest(name = "rejects action [{0}]")
    @ValueSource(strings = {"", "ecr", "ecr:", ":BatchGetImage", "ecr:Batch Get", "ecr:a:b", "e*:Get", "ecr:*/x",
        "**", "ecr :x", " ecr:x", "ecr:x "})
    void rejectedActions(String action) {
        PolicyInvalid e = assertThrows(PolicyInvalid.class, () -> identityWith(action, "*"));
        assertEquals("MalformedPolicyDocument", e.errorType());
    }

    @ParameterizedTest(name = "accepts resource {0}")
    @ValueSource(strings = {"*", "arn:aws:ecr:us-east-1:123456789012:repository/team/app",
        "arn:aws:ecr:us-east-1:123456789012:repository/*", "arn:aws:ecr:*:123456789012:repository/*/app",
        "arn:aws:ecr:us-east-1:123456789012:repository/team/?pp", "arn:aws:ecr:*:*:*", "arn:*:*:*:*:*",
        "arn:aws:s3:::bucket/key", "arn:aws:ecr:us-east-1:123456789012:repository/${aws:username}/*",
        "arn:aws-cn:ecr:cn-north-1:123456789012:repository/x", "arn:aws:logs:us-east-1:123456789012:log-group:a:*",
        "arn:aws:ecr:us-east-1:123456789012:"})
    void acceptedResources(String resource) {
        assertEquals(1, identityWith("ecr:*", resource).statementCount());
    }

    @ParameterizedTest(name = "rejects resource [{0}]")
    @ValueSource(strings = {"", "**", "repository/team/app", "arn:aws:ecr", "arn:aws:ecr:us-east-1:123456789012",
        "arn::ecr:us-east-1:123456789012:repository/x", "arn:aws::us-east-1:123456789012:repository/x",
        "ARN:aws:ecr:us-east-1:123456789012:repository/x", "team/*"})
    void rejectedResources(String resource) {
        PolicyInvalid e = assertThrows(PolicyInvalid.class, () -> identityWith("ecr:*", resource));
        assertEquals("Syntax errors in policy.", e.getMessage());
    }
}
