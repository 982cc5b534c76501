package io.lading.auth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wildcard globs (spec §3.1) and ARN field matching (§3.3, §5.2). */
class GlobTest {

    @ParameterizedTest(name = "glob {0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "*|''|true",
        "*|anything/at:all|true",
        "''|''|true",
        "''|a|false",
        "a*|a|true",
        "a*|ab/c:d|true",
        "*b|ab|true",
        "*b|abc|false",
        "a?c|abc|true",
        "a?c|ac|false",
        "a?c|abbc|false",
        "?|''|false",
        "??|ab|true",
        "a*b*c|aXbYc|true",
        "a*b*c|aXbYcZ|false",
        "a*b*c|abbbc|true",
        "*a*a*a*a*b|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|false",
        "ecr:Put?mage|ecr:PutImage|true",
        "ecr:Put?mage|ecr:PutImageTagMutability|false",
        "ECR:batchGETimage|ecr:BatchGetImage|false",
        "***|x|true",
        "a**b|ab|true",
    })
    void caseSensitive(String pattern, String text, boolean expected) {
        assertEquals(expected, Glob.of(pattern, false).matches(text));
    }

    @ParameterizedTest(name = "action {0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "ECR:batchGETimage|ecr:BatchGetImage|true",
        "ecr:batch*|ecr:BatchCheckLayerAvailability|true",
        "ecr:*Image|ecr:ReplicateImage|true",
        "ecr:*Image|ecr:PutImageTagMutability|false",
        "ecr:*|s3:GetObject|false",
        "*|s3:GetObject|true",
    })
    void ignoreCase(String pattern, String text, boolean expected) {
        assertEquals(expected, Glob.of(pattern, true).matches(text));
    }

    @ParameterizedTest(name = "arn {0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "arn:aws:ecr:*:123456789012:repository/*|arn:aws:ecr:us-east-1:123456789012:repository/a/b|true",
        "arn:aws:ecr:*:123456789012:repository/*|arn:aws:ecr:us-east-1:210987654321:repository/a|false",
        "arn:aws:ecr:us-*:*:*|arn:aws:ecr:us-west-2:123456789012:repository/x|true",
        "arn:aws:*:123456789012:repository/x|arn:aws:ecr:us-east-1:123456789012:repository/x|false",
        "arn:aws:ecr:us-east-1:123456789012:repository/team*|arn:aws:ecr:us-east-1:123456789012:repository/team/sub/app|true",
        "arn:aws:ecr:us-east-1:123456789012:*|arn:aws:ecr:us-east-1:123456789012:repository/a:b|true",
        "arn:aws:iam::123456789012:role/ci-*|arn:aws:iam::123456789012:role/ci-builder|true",
        "arn:aws:iam::123456789012:role/ci-*|arn:aws:iam::123456789012:user/alice|false",
        "arn:aws:iam::*|arn:aws:iam::123456789012:root|false",
        "arn:aws:ecr:us-east-1:123456789012:repository/x|arn:aws:ecr:us-east-1:123456789012|false",
        "arn:aws:ecr:us-east-1:123456789012:repository/x|arn:aws:ecr:us-east-1:123456789012:repository/X|false",
    })
    void arnFields(String pattern, String text, boolean expected) {
        assertEquals(expected, Glob.of(pattern, false).matchesArn(text));
    }

    @ParameterizedTest(name = "ignore case literal {0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {"ABC|abc|true", "abc|ABD|false", "ß|SS|false"})
    void ignoreCaseLiteral(String pattern, String text, boolean expected) {
        assertEquals(expected, Glob.of(pattern, true).matches(text));
    }
}
