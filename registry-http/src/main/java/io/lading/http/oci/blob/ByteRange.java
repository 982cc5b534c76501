package io.lading.http.oci.blob;

import io.lading.core.error.RegistryException.RangeNotSatisfiable;

/**
 * A single byte range of a {@code Range: bytes=...} request header, resolved against the blob size
 * (RFC 9110 14.1.2). Only single ranges are honoured: a multi-range or unparseable header is ignored
 * and the whole blob is served, as RFC 9110 allows.
 *
 * @param offset first byte
 * @param length number of bytes
 */
public record ByteRange(long offset, long length) {

    /**
     * Parses {@code header} for a blob of {@code size} bytes.
     *
     * @return the range, or null to serve the whole blob
     * @throws RangeNotSatisfiable if the range lies entirely outside the blob
     */
    public static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        try {
            if (first.isEmpty()) {
                long suffix = parseNumber(last);
                if (suffix <= 0 || size == 0) {
                    throw new RangeNotSatisfiable(size);
                }
                long len = Math.min(suffix, size);
                return new ByteRange(size - len, len);
            }
            long start = parseNumber(first);
            if (start >= size) {
                throw new RangeNotSatisfiable(size);
            }
            long end = last.isEmpty() ? size - 1 : Math.min(parseNumber(last), size - 1);
            if (end < start) {
                return null;
            }
            return new ByteRange(start, end - start + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long parseNumber(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)) {
            throw new NumberFormatException(s);
        }
        return Long.parseLong(s);
    }

    /** The {@code Content-Range} value for this range of a blob of {@code size} bytes. */
    public String contentRange(long size) {
        return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
    }
}
