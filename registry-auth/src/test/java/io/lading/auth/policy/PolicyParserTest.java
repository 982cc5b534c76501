package io.lading.auth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Grammar (spec §2) and kind rules (§15) with nasty inputs. */
class PolicyParserTest {

    private static final String REPO_OK = "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*'}]}";

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    @ParameterizedTest(name = "repository policy rejects {0}")
    @ValueSource(strings = {"", " ", "null", "[]", "\"x\"", "{", "{}", "{'Statement':[]}", "{'Statement':'x'}",
        "{'Statement':[1]}", "{'Statement':{}}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*'}]} trailing",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*'}],'Statement':[]}",
        "{'Statement':[{'Effect':'Allow','Effect':'Allow','Principal':'*','Action':'ecr:*'}]}",
        "{'Version':'2012-10-18','Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*'}]}",
        "{'Version':2012,'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*'}]}",
        "{'Extra':1,'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Extra':1}]}",
        "{'statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*'}]}",
        "{'Statement':[{'Principal':'*','Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':[]}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':['ecr:*',1]}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','NotAction':'ecr:x'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','NotPrincipal':'*','Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','NotPrincipal':{'AWS':'123456789012'},'Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'arn:aws:iam::123456789012:root','Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':{},'Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':{'AWS':[]},'Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':{'aws':'*'},'Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':{'Human':'x'},'Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':{'AWS':'12345678901'},'Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':{'AWS':'alice'},'Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::123456789012:group/g'},'Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::*:root'},'Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':{'Service':'ecr.*.com'},'Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','NotResource':'*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':[]}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'StringEquals':'x'}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'StringEquals':{'k':[]}}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'StringEquals':{'k':null}}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'StringEquals':{'k':{}}}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'DateLessThan':{'k':'soon'}}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'NumericEquals':{'k':'ten'}}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'IpAddress':{'k':'10.0.0.0/33'}}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'BinaryEquals':{'k':'%%'}}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'Null':{'k':'maybe'}}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'NullIfExists':{'k':'true'}}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'ForAllValues:Null':{'k':'true'}}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'IfExists':{'k':'x'}}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'ForSomeValues:StringEquals':{'k':'x'}}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'StringEquals':{'':'x'}}}]}",
    })
    void repositoryPolicyRejects(String text) {
        PolicyInvalid e = assertThrows(PolicyInvalid.class, () -> PolicyDocument.parse(json(text), PolicyKind.REPOSITORY));
        assertEquals(ValidationVectorsTest.INVALID_REPO, e.getMessage(), e.detail());
    }

    @ParameterizedTest(name = "repository policy accepts {0}")
    @ValueSource(strings = {
        "{'Statement':{'Effect':'Allow','Principal':'*','Action':'ecr:*'}}",
        "{'Version':'2008-10-17','Id':'x','Statement':[{'Sid':'a b','Effect':'Deny','Principal':{'AWS':'*'},'Action':'*'},"
                + "{'Sid':'a b','Effect':'Allow','Principal':{'AWS':['123456789012','arn:aws:iam::210987654321:root',"
                + "'arn:aws:sts::123456789012:assumed-role/r/s','arn:aws:iam::123456789012:role/path/r']},'Action':'s3:*'}]}",
        "{'Statement':[{'Effect':'Deny','NotPrincipal':{'AWS':'123456789012'},'Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':{'Service':'replication.ecr.amazonaws.com','Federated':'x'},'Action':'ecr:*'}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{}}]}",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Condition':{'numericequals':{'k':[1,2.5]},"
                + "'Bool':{'k':true},'StringLike':{'unknown:Key':'x'},'DateEquals':{'k':1767225599}}}]}",
    })
    void repositoryPolicyAccepts(String text) {
        PolicyDocument d = PolicyDocument.parse(json(text), PolicyKind.REPOSITORY);
        assertEquals(json(text), d.text());
    }

    @ParameterizedTest(name = "identity policy {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{'Statement':[{'Effect':'Allow','Action':'ecr:*'}]}|Policy statement must contain resources.",
        "{'Statement':[{'Effect':'Allow','Resource':'*'}]}|Policy statement must contain actions.",
        "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'}]}|Policy document should not specify a principal.",
        "{'Id':'x','Statement':[{'Effect':'Allow','Action':'ecr:*','Resource':'*'}]}|Syntax errors in policy.",
        "{'Statement':[{'Sid':'a b','Effect':'Allow','Action':'ecr:*','Resource':'*'}]}|Syntax errors in policy.",
        "{'Statement':[{'Effect':'Allow','Action':'ecr','Resource':'*'}]}|Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
        "not json|Syntax errors in policy.",
    })
    void identityMessages(String text, String message) {
        PolicyInvalid e = assertThrows(PolicyInvalid.class, () -> PolicyDocument.parse(json(text), PolicyKind.IDENTITY));
        assertEquals(message, e.getMessage());
        assertEquals("MalformedPolicyDocument", e.errorType());
    }

    @Test
    void identityPolicySizeCountsNonWhitespace() {
        String stmt = "{\"Effect\":\"Allow\",\"Action\":\"ecr:BatchGetImage\",\"Resource\":\"*\"}";
        String base = "{\"Statement\":[" + stmt + "]}";
        String padded = base.replace("[", "[" + " ".repeat(20000));
        assertEquals(1, PolicyDocument.parse(padded, PolicyKind.IDENTITY).statementCount());
        String big = "{\"Statement\":[" + (stmt + ",").repeat(6144 / stmt.length() + 1) + stmt + "]}";
        PolicyInvalid e = assertThrows(PolicyInvalid.class, () -> PolicyDocument.parse(big, PolicyKind.IDENTITY));
        assertEquals(PolicyInvalid.Reason.TOO_LONG, e.reason());
        assertEquals("Cannot exceed quota for PolicySize: 6144", e.getMessage());
    }

    @Test
    void registryPolicyRequiresPrincipalAndResource() {
        String noPrincipal = json("{'Statement':[{'Effect':'Allow','Action':'ecr:*','Resource':'*'}]}");
        PolicyInvalid e = assertThrows(PolicyInvalid.class, () -> PolicyDocument.parse(noPrincipal, PolicyKind.REGISTRY));
        assertEquals(ValidationVectorsTest.INVALID_REGISTRY, e.getMessage());
        assertEquals(1, PolicyDocument.parse(json(REPO_OK.replace("}]", ",'Resource':'*'}]")), PolicyKind.REGISTRY)
                .statementCount());
    }

    @Test
    void registryPolicyResourcesMustBeThisRegistry() {
        String other = json("{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:ReplicateImage',"
                + "'Resource':'arn:aws:ecr:us-east-1:210987654321:repository/x'}]}");
        assertThrows(PolicyInvalid.class, () -> RegistryPolicyValidation.validate(other, RegistryPolicyScope.V2, "aws",
                "us-east-1", "123456789012", PrincipalDirectory.none()));
        String wild = other.replace("210987654321", "*").replace("us-east-1", "*");
        assertEquals(1, RegistryPolicyValidation.validate(wild, RegistryPolicyScope.V1, "aws", "us-east-1", "123456789012",
                PrincipalDirectory.none()).statementCount());
        String ecrStar = json("{'Statement':[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'}]}");
        assertEquals(1, RegistryPolicyValidation.validate(ecrStar, RegistryPolicyScope.V1, "aws", "us-east-1",
                "123456789012", PrincipalDirectory.none()).statementCount());
        String notAction = ecrStar.replace("\"Action\"", "\"NotAction\"");
        assertThrows(PolicyInvalid.class, () -> RegistryPolicyValidation.validate(notAction, RegistryPolicyScope.V1, "aws",
                "us-east-1", "123456789012", PrincipalDirectory.none()));
    }

    @Test
    void foreignPrincipalsAreNotChecked() {
        String foreign = json("{'Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::210987654321:user/ghost'},"
                + "'Action':'ecr:*'}]}");
        RequestContext caller = Fixtures.alice().action("ecr:SetRepositoryPolicy").build();
        assertEquals(1, RepositoryPolicyValidation.validate(foreign, caller, false, ValidationVectorsTest.DIRECTORY)
                .statementCount());
    }
}
