package io.lading.auth.policy;

import java.util.List;

/**
 * One compiled condition test: an operator (with optional {@code IfExists} and set qualifier)
 * applied to one context key and its policy values (spec §5.3–§5.4). A statement's condition
 * block is the AND of all its {@code Condition}s.
 *
 * <p>Immutable and thread-safe.
 */
final class Condition {

    /** The set-operator qualifier. */
    enum SetQualifier { NONE, FOR_ALL_VALUES, FOR_ANY_VALUE }

    private final ConditionOperator operator;
    private final SetQualifier qualifier;
    private final boolean ifExists;
    private final ContextKey key;
    private final ConditionValues values;
    private final boolean[] nullValues;

    Condition(ConditionOperator operator, SetQualifier qualifier, boolean ifExists, ContextKey key,
            ConditionValues values) {
        this.operator = operator;
        this.qualifier = qualifier;
        this.ifExists = ifExists;
        this.key = key;
        this.values = values;
        this.nullValues = operator == ConditionOperator.NULL ? values.nullValues() : null;
    }

    /** Whether this test holds for {@code ctx}. */
    boolean test(RequestContext ctx) {
        Object v = key.lookup(ctx);
        if (nullValues != null) {
            boolean absent = v == null;
            for (boolean mustBeAbsent : nullValues) {
                if (absent == mustBeAbsent) {
                    return true;
                }
            }
            return false;
        }
        if (qualifier != SetQualifier.NONE) {
            return testSet(v, ctx);
        }
        if (v == null) {
            return ifExists || operator.negated();
        }
        if (v instanceof List<?>) {
            return false; // multi-valued key without a set operator [DEC §5.3 step 4]
        }
        return satisfies(v, ctx);
    }

    private boolean testSet(Object v, RequestContext ctx) {
        boolean all = qualifier == SetQualifier.FOR_ALL_VALUES;
        if (v == null) {
            return all || ifExists;
        }
        if (!(v instanceof List<?> list)) {
            return satisfies(v, ctx);
        }
        if (list.isEmpty()) {
            return all;
        }
        for (Object element : list) {
            boolean ok = satisfies(element, ctx);
            if (all && !ok) {
                return false;
            }
            if (!all && ok) {
                return true;
            }
        }
        return all;
    }

    /** The per-value test: positive = some policy value matches; negated = none matches. */
    private boolean satisfies(Object v, RequestContext ctx) {
        boolean match = values.anyMatch(v, ctx);
        return operator.negated() != match;
    }

    ContextKey key() {
        return key;
    }

    ConditionOperator operator() {
        return operator;
    }

    @Override
    public String toString() {
        String prefix = switch (qualifier) {
            case NONE -> "";
            case FOR_ALL_VALUES -> "ForAllValues:";
            case FOR_ANY_VALUE -> "ForAnyValue:";
        };
        return prefix + operator.policyName() + (ifExists ? "IfExists" : "") + "(" + key + ")";
    }
}
