package io.lading.auth.policy;

/**
 * A CIDR block for {@code IpAddress} / {@code NotIpAddress} (spec §5.2): IPv4 or IPv6, a bare
 * address meaning {@code /32} or {@code /128}. An IPv4 address never falls in an IPv6 block and
 * vice versa (no IPv4-mapped equivalence). Host bits below the prefix are ignored.
 *
 * <p>Parsing is a strict literal parser (never a DNS lookup). Immutable and thread-safe.
 */
final class IpRange {

    private final byte[] network;
    private final int prefix;

    private IpRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** Parses {@code addr} or {@code addr/prefix}; null if malformed. */
    static IpRange parse(String text) {
        int slash = text.indexOf('/');
        byte[] address = parseAddress(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            return null;
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                return null;
            }
        }
        return new IpRange(address, prefix);
    }

    /** Whether {@code address} (as from {@link #parseAddress}) lies in this block. */
    boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[full] & mask) == (network[full] & mask);
    }

    /** A 4- or 16-byte address from an IPv4 or IPv6 literal, or null if malformed. */
    static byte[] parseAddress(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text, new byte[4], 0);
    }

    private static byte[] parseV4(String text, byte[] out, int offset) {
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else if (c == '.') {
                if (value < 0 || part > 3) {
                    return null;
                }
                out[offset + part++] = (byte) value;
                value = -1;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    private static byte[] parseV6(String text) {
        byte[] out = new byte[16];
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon < 0 ? text : text.substring(0, doubleColon);
        String tail = doubleColon < 0 ? "" : text.substring(doubleColon + 2);
        if (doubleColon >= 0 && head.indexOf('.') >= 0) {
            return null;
        }
        int[] headGroups = groups(head, out, true);
        if (headGroups == null) {
            return null;
        }
        byte[] tailBytes = new byte[16];
        int[] tailGroups = groups(tail, tailBytes, false);
        if (tailGroups == null) {
            return null;
        }
        int headLen = headGroups[0];
        int tailLen = tailGroups[0];
        if (doubleColon < 0 ? headLen != 16 : headLen + tailLen > 14) {
            return null;
        }
        System.arraycopy(tailBytes, 0, out, 16 - tailLen, tailLen);
        return out;
    }

    /** Parses colon-separated groups into out; returns {bytes written} or null. */
    private static int[] groups(String text, byte[] out, boolean head) {
        if (text.isEmpty()) {
            return new int[] {0};
        }
        String[] parts = text.split(":", -1);
        int written = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            boolean last = i == parts.length - 1;
            if (last && p.indexOf('.') >= 0) {
                if (written + 4 > 16 || parseV4(p, out, written) == null) {
                    return null;
                }
                written += 4;
                continue;
            }
            if (p.isEmpty() || p.length() > 4 || written + 2 > 16) {
                return null;
            }
            int value = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = hex(p.charAt(k));
                if (d < 0) {
                    return null;
                }
                value = value * 16 + d;
            }
            out[written++] = (byte) (value >> 8);
            out[written++] = (byte) value;
        }
        return new int[] {written};
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    @Override
    public String toString() {
        return java.util.HexFormat.of().formatHex(network) + "/" + prefix;
    }
}
