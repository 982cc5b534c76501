package io.lading.auth.policy;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The policy values of one condition key, converted once at parse time to the type its operator
 * compares (spec §5.2), and the comparison of one context value against them.
 *
 * <p>Conversions of context values: numbers and dates that do not parse never match; dates are
 * ISO 8601 ({@code 2025-06-01T12:00:00Z}, {@code 2025-06-01}) or integer epoch seconds; booleans
 * are {@code true}/{@code false} in any case. Immutable and thread-safe.
 */
final class ConditionValues {

    private final ConditionOperator.Family family;
    private final ConditionOperator.Comparison comparison;
    private final Object[] values;

    private ConditionValues(ConditionOperator op, Object[] values) {
        this.family = op.family();
        this.comparison = op.comparison();
        this.values = values;
    }

    /**
     * Converts the policy values of {@code op}.
     *
     * @throws IllegalArgumentException with a detail message when a value does not parse
     */
    static ConditionValues compile(ConditionOperator op, List<String> raw, boolean variables) {
        Object[] out = new Object[raw.size()];
        for (int i = 0; i < out.length; i++) {
            String v = raw.get(i);
            out[i] = switch (op.family()) {
                case STRING, STRING_IGNORE_CASE, STRING_LIKE, ARN, BOOL -> Template.of(v, variables);
                case NUMERIC -> require(number(v), op, v);
                case DATE -> require(date(v), op, v);
                case IP -> require(IpRange.parse(v), op, v);
                case BINARY -> require(base64(v), op, v);
                case NULL -> require(bool(v), op, v);
            };
        }
        return new ConditionValues(op, out);
    }

    private static Object require(Object parsed, ConditionOperator op, String raw) {
        if (parsed == null) {
            throw new IllegalArgumentException("invalid value for " + op.policyName() + ": " + raw);
        }
        return parsed;
    }

    /** The raw {@code Null} values (true = key must be absent). */
    boolean[] nullValues() {
        boolean[] out = new boolean[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Boolean) values[i];
        }
        return out;
    }

    /** Whether at least one policy value matches the single context value {@code v}. */
    boolean anyMatch(Object v, RequestContext ctx) {
        switch (family) {
            case STRING, STRING_IGNORE_CASE, STRING_LIKE, ARN -> {
                String text = Template.asText(v);
                for (Object value : values) {
                    if (matchText((Template) value, text, ctx)) {
                        return true;
                    }
                }
                return false;
            }
            case BOOL -> {
                Boolean b = v instanceof Boolean x ? x : bool(Template.asText(v));
                if (b == null) {
                    return false;
                }
                for (Object value : values) {
                    String policy = ((Template) value).resolveText(ctx);
                    if (policy != null && b.equals(bool(policy))) {
                        return true;
                    }
                }
                return false;
            }
            case NUMERIC -> {
                BigDecimal n = v instanceof Long l ? BigDecimal.valueOf(l) : v instanceof String s ? number(s) : null;
                return n != null && anyCompare(n);
            }
            case DATE -> {
                Instant t = v instanceof Instant i ? i : v instanceof Long l ? Instant.ofEpochSecond(l)
                        : v instanceof String s ? date(s) : null;
                return t != null && anyCompare(t);
            }
            case IP -> {
                byte[] address = v instanceof String s ? IpRange.parseAddress(s) : null;
                for (Object value : values) {
                    if (address != null && ((IpRange) value).contains(address)) {
                        return true;
                    }
                }
                return false;
            }
            case BINARY -> {
                byte[] bytes = v instanceof String s ? base64(s) : null;
                for (Object value : values) {
                    if (bytes != null && Arrays.equals(bytes, (byte[]) value)) {
                        return true;
                    }
                }
                return false;
            }
            default -> throw new IllegalStateException("Null is evaluated by Condition");
        }
    }

    private boolean matchText(Template value, String text, RequestContext ctx) {
        return switch (family) {
            case STRING -> text.equals(value.resolveText(ctx));
            case STRING_IGNORE_CASE -> simpleEqualsIgnoreCase(value.resolveText(ctx), text);
            case STRING_LIKE -> {
                Glob g = value.resolveGlob(ctx);
                yield g != null && g.matches(text);
            }
            default -> {
                Glob g = value.resolveGlob(ctx);
                yield g != null && (g.matchesArn(text) || g.matchesAll() && isArn(text));
            }
        };
    }

    @SuppressWarnings("unchecked")
    private <T extends Comparable<T>> boolean anyCompare(T context) {
        for (Object value : values) {
            if (comparison.test(context.compareTo((T) value))) {
                return true;
            }
        }
        return false;
    }

    /** Per-character simple lower-casing (spec §5.2: {@code ß} is not {@code ss}). */
    static boolean simpleEqualsIgnoreCase(String a, String b) {
        if (a == null || a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && Character.toLowerCase(x) != Character.toLowerCase(y)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isArn(String text) {
        int colons = 0;
        for (int i = 0; i < text.length() && colons < 5; i++) {
            if (text.charAt(i) == ':') {
                colons++;
            }
        }
        return colons == 5;
    }

    static Boolean bool(String s) {
        if (s.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        return s.equalsIgnoreCase("false") ? Boolean.FALSE : null;
    }

    static BigDecimal number(String s) {
        if (s.isEmpty() || s.length() > 100 || !s.chars().allMatch(c -> c < 128)) {
            return null;
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** ISO 8601 (instant, offset date-time, local date-time as UTC, date) or epoch seconds. */
    static Instant date(String s) {
        if (!s.isEmpty() && s.length() <= 19 && (s.charAt(0) == '-' ? s.length() > 1 : true)
                && s.chars().skip(s.charAt(0) == '-' ? 1 : 0).allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(s));
            } catch (NumberFormatException | DateTimeException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeException e) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            // try the next form
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static byte[] base64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
