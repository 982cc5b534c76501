package io.lading.http.oci.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lading.core.error.RegistryException.UploadInvalid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRangeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "0-99                   | 0   | 99  | 100",
        "0-0                    | 0   | 0   | 1",
        "100-199                | 100 | 199 | 100",
        "bytes 0-99/100         | 0   | 99  | 100",
        "bytes 0-99/*           | 0   | 99  | 100",
        "0-99/100               | 0   | 99  | 100",
        "0-99/*                 | 0   | 99  | 100",
        "'  0-99  '             | 0   | 99  | 100",
        "007-009                | 7   | 9   | 3",
        "999999999999999999-999999999999999999 | 999999999999999999 | 999999999999999999 | 1",
        "0-999999999999999999   | 0   | 999999999999999999 | 1000000000000000000",
    })
    void parsesRange(String header, long start, long end, long length) {
        ContentRange r = ContentRange.parse(header);
        assertEquals(start, r.start());
        assertEquals(end, r.end());
        assertEquals(length, r.length());
    }

    @Test
    void absentHeaderIsNull() {
        assertNull(ContentRange.parse(null));
    }

    @ParameterizedTest
    @EmptySource
    @ValueSource(strings = {
        // end before start
        "99-0", "1-0", "bytes 10-9/100",
        // negative
        "-1-5", "0--5", "-5", "-0-0",
        // letters, wrong shape
        "a-b", "0-b", "a-9", "0x0-0x9", "1e2-1e3", "0-99/abc", "bytes=0-99", "bytes  0-99",
        "bytes0-99", "0-", "-", "-99", "0", "0 - 99", "0-99/", "0-99/100/100", "0-99,100-199", "0-99 junk",
        "0-99/**", "+0-99", "0-+99", "0.0-99", "\u0660-\u0669", "\uff10-\uff19", "0-9\u00a0",
        // overflow: 19+ digits
        "0-9999999999999999999", "9999999999999999999-9999999999999999999", "0-99999999999999999999999999",
        "0-9223372036854775807", "0-99/99999999999999999999"})
    void rejectsMalformedRange(String header) {
        assertThrows(UploadInvalid.class, () -> ContentRange.parse(header));
    }
}
