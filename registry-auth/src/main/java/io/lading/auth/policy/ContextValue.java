package io.lading.auth.policy;

import java.util.List;
import java.util.Objects;

/**
 * The value of a request-context key that has no dedicated field in {@link RequestContext}: either
 * single-valued or multi-valued (such as {@code aws:TagKeys}, spec §5.3–§5.4). A multi-valued key
 * never resolves as a policy variable and only set operators ({@code ForAllValues:},
 * {@code ForAnyValue:}) can test it.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface ContextValue {

    /** A single-valued key. */
    record Single(String value) implements ContextValue {
        /** @throws NullPointerException if {@code value} is null */
        public Single {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A multi-valued key; the list may be empty (then set operators see an empty set). */
    record Multi(List<String> values) implements ContextValue {
        /** Copies the list. */
        public Multi {
            values = List.copyOf(values);
        }
    }

    /** Shorthand for {@link Single}. */
    static ContextValue of(String value) {
        return new Single(value);
    }

    /** Shorthand for {@link Multi}. */
    static ContextValue multi(List<String> values) {
        return new Multi(values);
    }
}
