package io.lading.auth.sigv4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Canonicalisation of paths, queries and header values, with inputs nastier than the AWS suite's. */
class CanonicalRequestTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/|/",
        "''|/",
        "//|/",
        "/a/b/c|/a/b/c",
        "/a/./b|/a/b",
        "/a/b/..|/a/",
        "/a/b/.|/a/b/",
        "/../../a|/a",
        "/a/..b/c|/a/..b/c",
        "/a/.../c|/a/.../c",
        "/a//b//|/a/b/",
        "/%2E%2E/a|/%2E%2E/a",
    })
    void removesDotSegments(String path, String expected) {
        assertEquals(expected, CanonicalRequest.removeDotSegments(path.isEmpty() ? "/" : path));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/|/",
        "/a%20b|/a%2520b",
        "/a b|/a%20b",
        "/a+b|/a%2Bb",
        "/caf%C3%A9|/caf%25C3%25A9",
        "/a:b@c|/a%3Ab%40c",
        "/-._~|/-._~",
    })
    void encodesReceivedPathOnceMore(String path, String expected) {
        assertEquals(expected, CanonicalRequest.uri(path, true, true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''|''",
        "a=1|a=1",
        "b=2&a=1|a=1&b=2",
        "a=2&a=1|a=1&a=2",
        "a|a=",
        "a=|a=",
        "&&a=1&&|a=1",
        "a=x%2fy|a=x%2Fy",
        "a=x/y|a=x%2Fy",
        "a=b+c|a=b%2Bc",
        "a=b%20c|a=b%20c",
        "a=%zz|a=%25zz",
        "a=%FF|a=%FF",
        "a=1=2|a=1%3D2",
        "B=1&a=1|B=1&a=1",
    })
    void canonicalisesQuery(String query, String expected) {
        assertEquals(expected, CanonicalRequest.query(query));
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
        "value|value",
        "'  value  '|value",
        "'a   b\t\tc'|a b c",
        "'\ta\r\n b '|a b",
        "'   '|''",
        "'\"a   b\"'|'\"a b\"'",
    })
    void trimsAndCollapsesHeaderValues(String value, String expected) {
        assertEquals(expected, CanonicalRequest.headerValue(List.of(value)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "v2 ;v1|v2,v1",
        "' a ; b '|a,b",
        "'x;'|x,",
    })
    void joinsRepeatedHeadersInReceivedOrder(String values, String expected) {
        assertEquals(expected, CanonicalRequest.headerValue(List.of(values.split(";", -1))));
    }
}
