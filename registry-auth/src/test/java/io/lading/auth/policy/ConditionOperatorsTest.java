package io.lading.auth.policy;

import static io.lading.auth.policy.Fixtures.alice;
import static io.lading.auth.policy.Fixtures.carol;
import static io.lading.auth.policy.Fixtures.identityOf;
import static io.lading.auth.policy.Fixtures.identityOnly;
import static io.lading.auth.policy.Fixtures.q;
import static io.lading.auth.policy.Fixtures.stmt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every operator of spec §5.2 with its qualifiers (§5.3, §5.4). Each row is a condition block (the
 * sole condition of an identity Allow) and whether it holds for a request of alice with these keys:
 * {@code k=v1} (single), {@code n=10}, {@code d=2025-06-01T12:00:00Z}, {@code b=dGVzdA==},
 * {@code multi=[a1,b2]}, {@code empty=[]}, the default §16 keys, and no key {@code missing}.
 */
class ConditionOperatorsTest {

    private static boolean holds(String condition, RequestContext ctx) {
        return PolicyEvaluator.decide(ctx, identityOnly(identityOf(stmt("Allow", q("ecr:*"), q("*"), condition)))).allowed();
    }

    private static RequestContext ctx() {
        return alice().action("ecr:BatchGetImage").put("k", "v1").put("n", "10").put("d", "2025-06-01T12:00:00Z")
                .put("b", "dGVzdA==").putMulti("multi", List.of("a1", "b2")).putMulti("empty", List.of()).build();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // String
        "{'StringEquals':{'k':'v1'}}|true",
        "{'StringEquals':{'K':'v1'}}|true",
        "{'StringEquals':{'k':'V1'}}|false",
        "{'StringEquals':{'k':'v*'}}|false",
        "{'StringEquals':{'k':['x','v1']}}|true",
        "{'StringEquals':{'missing':'v1'}}|false",
        "{'stringequals':{'k':'v1'}}|true",
        "{'StringNotEquals':{'k':'v1'}}|false",
        "{'StringNotEquals':{'k':['x','y']}}|true",
        "{'StringNotEquals':{'missing':'v1'}}|true",
        "{'StringEqualsIgnoreCase':{'k':'V1'}}|true",
        "{'StringNotEqualsIgnoreCase':{'k':'V1'}}|false",
        "{'StringLike':{'k':'v*'}}|true",
        "{'StringLike':{'k':'?1'}}|true",
        "{'StringLike':{'k':'V*'}}|false",
        "{'StringNotLike':{'k':'x*'}}|true",
        "{'StringNotLike':{'k':'v*'}}|false",
        // Numeric
        "{'NumericEquals':{'n':'10'}}|true",
        "{'NumericEquals':{'n':'10.0'}}|true",
        "{'NumericEquals':{'n':10}}|true",
        "{'NumericNotEquals':{'n':'10'}}|false",
        "{'NumericNotEquals':{'n':'11'}}|true",
        "{'NumericLessThan':{'n':'11'}}|true",
        "{'NumericLessThan':{'n':'10'}}|false",
        "{'NumericLessThanEquals':{'n':'10'}}|true",
        "{'NumericGreaterThan':{'n':'9.5'}}|true",
        "{'NumericGreaterThan':{'n':'10'}}|false",
        "{'NumericGreaterThanEquals':{'n':'10'}}|true",
        "{'NumericEquals':{'k':'10'}}|false",
        "{'NumericNotEquals':{'k':'10'}}|true",
        "{'NumericLessThan':{'aws:EpochTime':'1748779201'}}|true",
        // Date
        "{'DateEquals':{'d':'2025-06-01T12:00:00Z'}}|true",
        "{'DateEquals':{'d':'1748779200'}}|true",
        "{'DateEquals':{'aws:CurrentTime':'2025-06-01T14:00:00+02:00'}}|true",
        "{'DateNotEquals':{'d':'2025-06-01'}}|true",
        "{'DateLessThan':{'aws:CurrentTime':'2025-06-02'}}|true",
        "{'DateLessThanEquals':{'aws:EpochTime':'1748779200'}}|true",
        "{'DateGreaterThan':{'aws:CurrentTime':'2025-06-01'}}|true",
        "{'DateGreaterThanEquals':{'aws:CurrentTime':'2025-06-01T12:00:01Z'}}|false",
        "{'DateGreaterThan':{'k':'2025-06-01'}}|false",
        // Bool
        "{'Bool':{'aws:SecureTransport':'true'}}|true",
        "{'Bool':{'aws:SecureTransport':'TRUE'}}|true",
        "{'Bool':{'aws:SecureTransport':true}}|true",
        "{'Bool':{'aws:SecureTransport':'false'}}|false",
        "{'Bool':{'aws:PrincipalIsAWSService':'false'}}|true",
        // Binary
        "{'BinaryEquals':{'b':'dGVzdA=='}}|true",
        "{'BinaryEquals':{'b':'dGVzdQ=='}}|false",
        // IP
        "{'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}|true",
        "{'IpAddress':{'aws:SourceIp':'203.0.113.10'}}|true",
        "{'IpAddress':{'aws:SourceIp':'203.0.112.0/24'}}|false",
        "{'IpAddress':{'aws:SourceIp':'::/0'}}|false",
        "{'NotIpAddress':{'aws:SourceIp':'10.0.0.0/8'}}|true",
        "{'NotIpAddress':{'aws:SourceIp':'0.0.0.0/0'}}|false",
        "{'IpAddress':{'k':'0.0.0.0/0'}}|false",
        // Arn
        "{'ArnEquals':{'aws:PrincipalArn':'arn:aws:iam::123456789012:user/alice'}}|true",
        "{'ArnEquals':{'aws:PrincipalArn':'arn:aws:iam::*:user/*'}}|true",
        "{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::123456789012:user/a*'}}|true",
        "{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam:*:user/alice'}}|false",
        "{'ArnLike':{'k':'*'}}|false",
        "{'ArnNotEquals':{'aws:PrincipalArn':'arn:aws:iam::123456789012:user/bob'}}|true",
        "{'ArnNotLike':{'aws:PrincipalArn':'arn:aws:iam::123456789012:user/*'}}|false",
        "{'ArnNotLike':{'missing':'arn:aws:iam::123456789012:user/*'}}|true",
        // Null
        "{'Null':{'missing':'true'}}|true",
        "{'Null':{'missing':'false'}}|false",
        "{'Null':{'k':'false'}}|true",
        "{'Null':{'k':'true'}}|false",
        "{'Null':{'multi':'false'}}|true",
        // IfExists
        "{'StringEqualsIfExists':{'missing':'v1'}}|true",
        "{'StringEqualsIfExists':{'k':'x'}}|false",
        "{'NumericLessThanIfExists':{'missing':'1'}}|true",
        "{'StringNotEqualsIfExists':{'k':'v1'}}|false",
        // multi-valued without set operator
        "{'StringEquals':{'multi':'a1'}}|false",
        "{'StringNotEquals':{'multi':'zz'}}|false",
        // set operators
        "{'ForAllValues:StringLike':{'multi':['a*','b*']}}|true",
        "{'ForAllValues:StringLike':{'multi':'a*'}}|false",
        "{'ForAllValues:StringEquals':{'missing':'x'}}|true",
        "{'ForAllValues:StringEquals':{'empty':'x'}}|true",
        "{'ForAnyValue:StringEquals':{'multi':'b2'}}|true",
        "{'ForAnyValue:StringEquals':{'multi':'c3'}}|false",
        "{'ForAnyValue:StringEquals':{'missing':'x'}}|false",
        "{'ForAnyValue:StringEquals':{'empty':'x'}}|false",
        "{'ForAnyValue:StringEqualsIfExists':{'missing':'x'}}|true",
        "{'ForAllValues:StringNotLike':{'multi':'c*'}}|true",
        "{'ForAllValues:StringNotLike':{'multi':'a*'}}|false",
        "{'ForAnyValue:StringNotLike':{'multi':'a*'}}|true",
        "{'forallvalues:stringequals':{'k':'v1'}}|true",
        // AND across keys and operators
        "{'StringEquals':{'k':'v1','n':'10'}}|true",
        "{'StringEquals':{'k':'v1','n':'11'}}|false",
        "{'StringEquals':{'k':'v1'},'NumericEquals':{'n':'11'}}|false",
        "{}|true",
    })
    void operator(String condition, boolean expected) {
        assertEquals(expected, holds(condition.replace('\'', '"'), ctx()));
    }

    @ParameterizedTest(name = "ForAllValues:StringNotLike aws:TagKeys key1* with {0} -> {1}")
    @CsvSource(delimiter = '|', value = {"key1:legal|false", "key2:audit|true", "|true"})
    void negationIsAppliedPerRequestValue(String keys, boolean expected) {
        RequestContext.Builder b = alice().action("ecr:TagResource");
        if (keys != null) {
            b.putMulti("aws:TagKeys", List.of(keys));
        }
        assertEquals(expected, holds("{\"ForAllValues:StringNotLike\":{\"aws:TagKeys\":\"key1*\"}}", b.build()));
    }

    @ParameterizedTest(name = "{0} for carol (no team tag) -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{'StringEquals':{'aws:ResourceTag/team':'${aws:PrincipalTag/team}'}}|false",
        "{'StringNotEquals':{'aws:ResourceTag/team':'${aws:PrincipalTag/team}'}}|true",
        "{'StringLike':{'aws:ResourceTag/team':'${aws:PrincipalTag/team}'}}|false",
        "{'StringNotLike':{'aws:ResourceTag/team':'${aws:PrincipalTag/team}'}}|true",
        "{'ArnNotEquals':{'aws:PrincipalArn':'${aws:PrincipalTag/role}'}}|true",
        "{'StringEquals':{'aws:ResourceTag/team':'${aws:PrincipalTag/team, \\'payments\\'}'}}|true",
    })
    void unresolvedVariables(String condition, boolean expected) {
        String json = condition.replace("\\'", "\u0001").replace('\'', '"').replace('\u0001', '\'');
        assertEquals(expected, holds(json, carol().action("ecr:PutImage").build()));
    }
}
