package io.lading.auth.policy;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy string that may contain policy variables (spec §4): {@code ${key}},
 * {@code ${key, 'default'}} and the escapes {@code ${*}}, {@code ${?}}, {@code ${$}}. Variables
 * are recognized only when the document's {@code Version} is {@code 2012-10-17}, and (for
 * resources) only after the fifth {@code :}; elsewhere {@code ${} is literal text. A malformed
 * {@code ${...}} (no closing brace, empty key, default not in single quotes) is literal text.
 *
 * <p>Resolution substitutes context values literally: a {@code *} or {@code ?} in a substituted
 * value is never a wildcard. A key that is absent or multi-valued, with no default, makes the
 * whole string <em>unresolved</em> ({@code null}). Strings without variables are resolved once at
 * compile time, so resolving them allocates nothing. Immutable and thread-safe.
 */
final class Template {

    private record Var(ContextKey key, String fallback) {
    }

    /** Literal chars (Character), wildcard-capable text (String) or variables (Var). */
    private final Object[] parts;
    private final String raw;
    private final String fixedText;
    private final Glob fixedGlob;

    private Template(String raw, Object[] parts) {
        this.raw = raw;
        this.parts = parts;
        boolean fixed = true;
        for (Object part : parts) {
            if (part instanceof Var) {
                fixed = false;
                break;
            }
        }
        this.fixedText = fixed ? text(parts, null) : null;
        this.fixedGlob = fixed ? glob(parts, null) : null;
    }

    /**
     * Compiles {@code raw}.
     *
     * @param variables whether policy variables are enabled (Version 2012-10-17)
     * @param variablesFrom index from which {@code ${} starts a variable
     */
    static Template of(String raw, boolean variables, int variablesFrom) {
        if (!variables || raw.indexOf("${", variablesFrom) < 0) {
            return new Template(raw, new Object[] {raw});
        }
        List<Object> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder(raw.substring(0, variablesFrom));
        int i = variablesFrom;
        while (i < raw.length()) {
            int open = raw.indexOf("${", i);
            int close = open < 0 ? -1 : raw.indexOf('}', open + 2);
            if (open < 0 || close < 0) {
                text.append(raw, i, raw.length());
                break;
            }
            text.append(raw, i, open);
            Object part = variable(raw.substring(open + 2, close));
            if (part == null) {
                text.append(raw, open, close + 1);
            } else {
                if (!text.isEmpty()) {
                    parts.add(text.toString());
                    text.setLength(0);
                }
                parts.add(part);
            }
            i = close + 1;
        }
        if (!text.isEmpty()) {
            parts.add(text.toString());
        }
        return new Template(raw, parts.toArray());
    }

    /** Compiles with variables recognized anywhere (condition values). */
    static Template of(String raw, boolean variables) {
        return of(raw, variables, 0);
    }

    private static Object variable(String inner) {
        if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
            return inner.charAt(0);
        }
        String key = inner;
        String fallback = null;
        int comma = inner.indexOf(',');
        if (comma >= 0) {
            key = inner.substring(0, comma);
            String rest = inner.substring(comma + 1).strip();
            if (rest.length() < 2 || rest.charAt(0) != '\'' || rest.charAt(rest.length() - 1) != '\'') {
                return null;
            }
            fallback = rest.substring(1, rest.length() - 1);
        }
        key = key.strip();
        if (key.isEmpty()) {
            return null;
        }
        return new Var(ContextKey.of(key), fallback);
    }

    /** The text as written in the policy. */
    String raw() {
        return raw;
    }

    /** True if there is at least one variable to substitute per request. */
    boolean hasVariables() {
        return fixedText == null;
    }

    /** The substituted text (wildcards are plain characters), or null when unresolved. */
    String resolveText(RequestContext ctx) {
        return fixedText != null ? fixedText : text(parts, ctx);
    }

    /** The substituted pattern (case-sensitive), or null when unresolved. */
    Glob resolveGlob(RequestContext ctx) {
        return fixedGlob != null ? fixedGlob : glob(parts, ctx);
    }

    private static String text(Object[] parts, RequestContext ctx) {
        if (parts.length == 1 && parts[0] instanceof String s) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            switch (part) {
                case String s -> out.append(s);
                case Character c -> out.append(c.charValue());
                case Var v -> {
                    String value = value(v, ctx);
                    if (value == null) {
                        return null;
                    }
                    out.append(value);
                }
                default -> throw new IllegalStateException();
            }
        }
        return out.toString();
    }

    private static Glob glob(Object[] parts, RequestContext ctx) {
        if (parts.length == 1 && parts[0] instanceof String s) {
            return Glob.of(s, false);
        }
        StringBuilder chars = new StringBuilder();
        StringBuilder kinds = new StringBuilder();
        for (Object part : parts) {
            switch (part) {
                case String s -> {
                    chars.append(s);
                    for (int i = 0; i < s.length(); i++) {
                        char c = s.charAt(i);
                        kinds.append((char) (c == '*' ? Glob.STAR : c == '?' ? Glob.ONE : Glob.LIT));
                    }
                }
                case Character c -> {
                    chars.append(c.charValue());
                    kinds.append((char) Glob.LIT);
                }
                case Var v -> {
                    String value = value(v, ctx);
                    if (value == null) {
                        return null;
                    }
                    chars.append(value);
                    kinds.repeat((char) Glob.LIT, value.length());
                }
                default -> throw new IllegalStateException();
            }
        }
        byte[] kindBytes = new byte[kinds.length()];
        for (int i = 0; i < kindBytes.length; i++) {
            kindBytes[i] = (byte) kinds.charAt(i);
        }
        return Glob.of(chars.toString().toCharArray(), kindBytes, false);
    }

    private static String value(Var v, RequestContext ctx) {
        Object value = ctx == null ? null : v.key().lookup(ctx);
        String text = value == null || value instanceof List<?> ? null : asText(value);
        return text != null ? text : v.fallback();
    }

    /** The string form of a context value (§2: numbers and booleans in their string form). */
    static String asText(Object value) {
        return switch (value) {
            case String s -> s;
            case Instant t -> DateTimeFormatter.ISO_INSTANT.format(t);
            default -> value.toString();
        };
    }

    @Override
    public String toString() {
        return raw;
    }
}
