package io.lading.http.oci.upload;

import io.lading.core.error.RegistryException.UploadInvalid;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Content-Range} of an upload chunk: {@code <start>-<end>} (inclusive), as the distribution
 * spec writes it; {@code bytes <start>-<end>/<total>} is accepted too.
 */
record ContentRange(long start, long end) {

    private static final Pattern RANGE = Pattern.compile("^(?:bytes )?(\\d{1,18})-(\\d{1,18})(?:/(?:\\d{1,18}|\\*))?$");

    /** Parses the header; null when absent. @throws UploadInvalid when malformed */
    static ContentRange parse(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches()) {
            throw new UploadInvalid("malformed Content-Range: expected <start>-<end>");
        }
        long start = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        if (end < start) {
            throw new UploadInvalid("malformed Content-Range: end before start");
        }
        return new ContentRange(start, end);
    }

    long length() {
        return end - start + 1;
    }
}
