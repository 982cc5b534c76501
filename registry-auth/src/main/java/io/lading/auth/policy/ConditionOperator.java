package io.lading.auth.policy;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The base condition operators of spec §5.2 (without {@code IfExists} and set-operator
 * qualifiers, which {@link Condition} carries). Names are matched case-insensitively [DEC].
 *
 * <p>A <em>negated</em> operator is true for one key when none of the policy values matches
 * (NOR), and true when the key is absent (§5.3). Immutable; thread-safe.
 */
enum ConditionOperator {
    STRING_EQUALS("StringEquals", Family.STRING, false, Comparison.EQ),
    STRING_NOT_EQUALS("StringNotEquals", Family.STRING, true, Comparison.EQ),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Family.STRING_IGNORE_CASE, false, Comparison.EQ),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Family.STRING_IGNORE_CASE, true, Comparison.EQ),
    STRING_LIKE("StringLike", Family.STRING_LIKE, false, Comparison.EQ),
    STRING_NOT_LIKE("StringNotLike", Family.STRING_LIKE, true, Comparison.EQ),
    NUMERIC_EQUALS("NumericEquals", Family.NUMERIC, false, Comparison.EQ),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Family.NUMERIC, true, Comparison.EQ),
    NUMERIC_LESS_THAN("NumericLessThan", Family.NUMERIC, false, Comparison.LT),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Family.NUMERIC, false, Comparison.LE),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Family.NUMERIC, false, Comparison.GT),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Family.NUMERIC, false, Comparison.GE),
    DATE_EQUALS("DateEquals", Family.DATE, false, Comparison.EQ),
    DATE_NOT_EQUALS("DateNotEquals", Family.DATE, true, Comparison.EQ),
    DATE_LESS_THAN("DateLessThan", Family.DATE, false, Comparison.LT),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Family.DATE, false, Comparison.LE),
    DATE_GREATER_THAN("DateGreaterThan", Family.DATE, false, Comparison.GT),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Family.DATE, false, Comparison.GE),
    BOOL("Bool", Family.BOOL, false, Comparison.EQ),
    BINARY_EQUALS("BinaryEquals", Family.BINARY, false, Comparison.EQ),
    IP_ADDRESS("IpAddress", Family.IP, false, Comparison.EQ),
    NOT_IP_ADDRESS("NotIpAddress", Family.IP, true, Comparison.EQ),
    ARN_EQUALS("ArnEquals", Family.ARN, false, Comparison.EQ),
    ARN_LIKE("ArnLike", Family.ARN, false, Comparison.EQ),
    ARN_NOT_EQUALS("ArnNotEquals", Family.ARN, true, Comparison.EQ),
    ARN_NOT_LIKE("ArnNotLike", Family.ARN, true, Comparison.EQ),
    NULL("Null", Family.NULL, false, Comparison.EQ);

    /** How values are compared. */
    enum Family {
        STRING, STRING_IGNORE_CASE, STRING_LIKE, NUMERIC, DATE, BOOL, BINARY, IP, ARN, NULL;

        /** Whether policy variables are substituted in values of this family (§4). */
        boolean variables() {
            return this == STRING || this == STRING_IGNORE_CASE || this == STRING_LIKE || this == ARN || this == BOOL;
        }
    }

    /** Ordering test of context value against policy value. */
    enum Comparison {
        EQ, LT, LE, GT, GE;

        boolean test(int cmp) {
            return switch (this) {
                case EQ -> cmp == 0;
                case LT -> cmp < 0;
                case LE -> cmp <= 0;
                case GT -> cmp > 0;
                case GE -> cmp >= 0;
            };
        }
    }

    private static final Map<String, ConditionOperator> BY_NAME = new HashMap<>();

    static {
        for (ConditionOperator op : values()) {
            BY_NAME.put(op.policyName.toLowerCase(Locale.ROOT), op);
        }
    }

    private final String policyName;
    private final Family family;
    private final boolean negated;
    private final Comparison comparison;

    ConditionOperator(String policyName, Family family, boolean negated, Comparison comparison) {
        this.policyName = policyName;
        this.family = family;
        this.negated = negated;
        this.comparison = comparison;
    }

    /** The operator with this (case-insensitive) base name, or null. */
    static ConditionOperator byName(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    String policyName() {
        return policyName;
    }

    Family family() {
        return family;
    }

    boolean negated() {
        return negated;
    }

    Comparison comparison() {
        return comparison;
    }
}
