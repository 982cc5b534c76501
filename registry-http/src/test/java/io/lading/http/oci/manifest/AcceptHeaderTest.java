package io.lading.http.oci.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AcceptHeaderTest {

    static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    static HttpHeaders accept(String... lines) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (String line : lines) {
            h.add(HttpHeaderNames.ACCEPT, line);
        }
        return h;
    }

    @Test
    void noAcceptHeaderMeansNoPreference() {
        assertEquals(List.of(), AcceptHeader.mediaTypes(new DefaultHttpHeaders()));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // skopeo: one line per type
                Arguments.of(new String[] {OCI, OCI_INDEX, DOCKER, DOCKER_LIST}, List.of(OCI, OCI_INDEX, DOCKER, DOCKER_LIST)),
                // Docker: one comma-separated line
                Arguments.of(new String[] {DOCKER + ", " + DOCKER_LIST + ", " + OCI}, List.of(DOCKER, DOCKER_LIST, OCI)),
                Arguments.of(new String[] {DOCKER + "," + OCI}, List.of(DOCKER, OCI)),
                // mixed lines and lists
                Arguments.of(new String[] {DOCKER + "," + DOCKER_LIST, OCI}, List.of(DOCKER, DOCKER_LIST, OCI)),
                // parameters dropped
                Arguments.of(new String[] {DOCKER + ";q=0.9, " + OCI + " ; q=0.5"}, List.of(DOCKER, OCI)),
                Arguments.of(new String[] {OCI + "; charset=utf-8"}, List.of(OCI)),
                Arguments.of(new String[] {"*/*;q=0.1"}, List.of("*/*")),
                // q=0 excluded, in its spellings
                Arguments.of(new String[] {DOCKER + ";q=0, " + OCI}, List.of(OCI)),
                Arguments.of(new String[] {DOCKER + "; q=0"}, List.of()),
                Arguments.of(new String[] {DOCKER + " ; q = 0"}, List.of()),
                Arguments.of(new String[] {DOCKER + ";q=0.0", OCI + ";q=0.00", DOCKER_LIST + ";q=0.000"}, List.of()),
                Arguments.of(new String[] {DOCKER + ";charset=utf-8;q=0", OCI}, List.of(OCI)),
                // small but non-zero weights stay
                Arguments.of(new String[] {DOCKER + ";q=0.001", OCI + ";q=0.01", OCI_INDEX + ";q=0.1"},
                        List.of(DOCKER, OCI, OCI_INDEX)),
                Arguments.of(new String[] {DOCKER + ";q=1", OCI + ";q=1.0"}, List.of(DOCKER, OCI)),
                // whitespace and empty elements
                // (a header value itself never starts or ends with whitespace: the HTTP decoder strips it)
                Arguments.of(new String[] {DOCKER + "  ,\t" + OCI}, List.of(DOCKER, OCI)),
                Arguments.of(new String[] {DOCKER + " ,  " + OCI + " ;  q=0.5 ,\t" + OCI_INDEX}, List.of(DOCKER, OCI, OCI_INDEX)),
                Arguments.of(new String[] {",,," + DOCKER + ",, ,"}, List.of(DOCKER)),
                Arguments.of(new String[] {""}, List.of()),
                Arguments.of(new String[] {",", ", ,"}, List.of()),
                Arguments.of(new String[] {";q=1"}, List.of()),
                // case preserved (the negotiator takes the essence)
                Arguments.of(new String[] {OCI.toUpperCase()}, List.of(OCI.toUpperCase())),
                // duplicates are harmless
                Arguments.of(new String[] {DOCKER, DOCKER}, List.of(DOCKER, DOCKER)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void mergesLinesAndDropsParameters(String[] lines, List<String> expected) {
        assertEquals(expected, AcceptHeader.mediaTypes(accept(lines)));
    }

    /**
     * A bare {@code ;} element (empty media range, only parameters) is garbage to ignore, like an empty
     * element; it must not crash the manifest GET (an unchecked exception becomes a 500).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {";", ";;", DOCKER + ", ;", DOCKER + ",;;", "; ," + DOCKER})
    void ignoresElementsThatAreOnlySemicolons(String line) {
        List<String> types = AcceptHeader.mediaTypes(accept(line));
        assertEquals(line.contains(DOCKER) ? List.of(DOCKER) : List.of(), types);
    }

    /** RFC 9110 12.4.2: {@code weight = OWS ";" OWS "q=" qvalue}, ABNF literals are case-insensitive, {@code "0."} is a qvalue. */
    static Stream<Arguments> zeroWeightSpellings() {
        return Stream.of(
                Arguments.of(DOCKER + ";Q=0"),
                Arguments.of(DOCKER + ";q=0."));
    }

    @ParameterizedTest
    @MethodSource("zeroWeightSpellings")
    void excludesEveryRfcSpellingOfZeroWeight(String line) {
        assertEquals(List.of(OCI), AcceptHeader.mediaTypes(accept(line, OCI)));
    }
}
