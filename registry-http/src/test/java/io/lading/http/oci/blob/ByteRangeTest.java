package io.lading.http.oci.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lading.core.error.RegistryException.RangeNotSatisfiable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

    /** header | size | offset | length. */
    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource(delimiter = '|', value = {
        "bytes=0-0          | 100 | 0  | 1",
        "bytes=0-99         | 100 | 0  | 100",
        "bytes=0-           | 100 | 0  | 100",
        "bytes=5-           | 100 | 5  | 95",
        "bytes=5-           | 10  | 5  | 5",
        "bytes=99-          | 100 | 99 | 1",
        "bytes=99-99        | 100 | 99 | 1",
        "bytes=10-19        | 100 | 10 | 10",
        "bytes=-10          | 100 | 90 | 10",
        "bytes=-1           | 100 | 99 | 1",
        "bytes=-100         | 100 | 0  | 100",
        "bytes=-101         | 100 | 0  | 100",
        "bytes=-999999999999999999 | 100 | 0 | 100",
        "bytes=0-100        | 100 | 0  | 100",
        "bytes=50-1000      | 100 | 50 | 50",
        "bytes=0-999999999999999999 | 100 | 0 | 100",
        "BYTES=1-2          | 100 | 1  | 2",
        "Bytes=1-2          | 100 | 1  | 2",
        "'  bytes=1-2  '    | 100 | 1  | 2",
        "bytes= 1 - 2       | 100 | 1  | 2",
        "bytes=0-0          | 1   | 0  | 1",
        "bytes=-1           | 1   | 0  | 1",
        "bytes=007-008      | 100 | 7  | 2",
    })
    void resolvesSingleRange(String header, long size, long offset, long length) {
        assertEquals(new ByteRange(offset, length), ByteRange.parse(header, size));
    }

    static Stream<Arguments> unsatisfiable() {
        return Stream.of(
                Arguments.of("bytes=100-", 100L),
                Arguments.of("bytes=100-200", 100L),
                Arguments.of("bytes=101-", 100L),
                Arguments.of("bytes=999999999999999999-", 100L),
                Arguments.of("bytes=0-", 0L),
                Arguments.of("bytes=0-0", 0L),
                Arguments.of("bytes=-1", 0L),
                Arguments.of("bytes=-0", 100L),
                Arguments.of("bytes=-000", 100L));
    }

    @ParameterizedTest(name = "{0} of {1}")
    @MethodSource("unsatisfiable")
    void rejectsRangeOutsideTheBlob(String header, long size) {
        RangeNotSatisfiable e = assertThrows(RangeNotSatisfiable.class, () -> ByteRange.parse(header, size));
        assertEquals(size, e.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // multi-range: whole blob
        "bytes=0-1,5-6", "bytes=0-1, 5-6", "bytes=-1,0-0", "bytes=0-0,",
        // other units, garbage
        "items=0-1", "bytes 0-1", "bytes:0-1", "byte=0-1", "bytes=", "bytes=-", "bytes=a-b", "bytes=1-a",
        "bytes=a-", "bytes=-a", "bytes=1-2-3", "bytes=--1", "bytes=1--2", "bytes=+1-2", "bytes=1-+2",
        "bytes=-1-2", "bytes=0x1-0x2", "bytes=1.5-2", "bytes=1e2-", "bytes=\u0661-\u0662x", "", " ", "=", "0-1",
        "bytes=5-3", "bytes=99-0"})
    void ignoresMultiRangeAndGarbage(String header) {
        assertNull(ByteRange.parse(header, 100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-9999999999999999999", "bytes=9999999999999999999-", "bytes=-9999999999999999999",
        "bytes=0-99999999999999999999999999999", "bytes=9223372036854775807-9223372036854775807",
        "bytes=-9223372036854775808", "bytes=9223372036854775808-"})
    void overlongNumbersNeverYieldARangeOutsideTheBlob(String header) {
        ByteRange r;
        try {
            r = ByteRange.parse(header, 100);
        } catch (RangeNotSatisfiable e) {
            return;
        }
        if (r != null) {
            assertEquals(true, r.offset() >= 0 && r.length() > 0 && r.offset() + r.length() <= 100, r.toString());
        }
    }

    @Test
    void absentHeaderMeansWholeBlob() {
        assertNull(ByteRange.parse(null, 100));
    }

    @Test
    void rangeOfEveryPositionStaysInsideTheBlob() {
        long size = 17;
        for (long start = 0; start < size; start++) {
            for (long end = start; end < size + 3; end++) {
                ByteRange r = ByteRange.parse("bytes=" + start + "-" + end, size);
                assertEquals(start, r.offset());
                assertEquals(Math.min(end, size - 1) - start + 1, r.length());
            }
            ByteRange suffix = ByteRange.parse("bytes=-" + (start + 1), size);
            assertEquals(size - start - 1, suffix.offset());
            assertEquals(start + 1, suffix.length());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bytes=0-0   | 100 | bytes 0-0/100",
        "bytes=5-    | 10  | bytes 5-9/10",
        "bytes=-10   | 100 | bytes 90-99/100",
        "bytes=-500  | 100 | bytes 0-99/100",
        "bytes=50-1000 | 100 | bytes 50-99/100",
        "bytes=0-0   | 1   | bytes 0-0/1",
    })
    void rendersContentRange(String header, long size, String expected) {
        assertEquals(expected, ByteRange.parse(header, size).contentRange(size));
    }

    @Test
    void rendersContentRangeOfHugeBlob() {
        long size = Long.MAX_VALUE;
        assertEquals("bytes 0-9/" + size, ByteRange.parse("bytes=0-9", size).contentRange(size));
        assertEquals("bytes " + (size - 1) + "-" + (size - 1) + "/" + size,
                ByteRange.parse("bytes=-1", size).contentRange(size));
    }
}
