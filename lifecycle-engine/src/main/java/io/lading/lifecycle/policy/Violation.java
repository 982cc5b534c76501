package io.lading.lifecycle.policy;

import java.util.Comparator;
import java.util.List;

/**
 * One failed check found while validating, located by rule index (-1 for the document itself). Validators
 * collect violations; {@link #first} picks the one to report, so each validator may look at its own
 * concern without knowing the global check order.
 */
record Violation(ValidationCheck check, int ruleIndex, String detail) {

    private static final Comparator<Violation> REPORT_ORDER =
            Comparator.comparing(Violation::check).thenComparingInt(Violation::ruleIndex);

    /** Throws the violation to report, if there is any. */
    static void throwFirst(List<Violation> found) {
        found.stream().min(REPORT_ORDER).ifPresent(v -> {
            throw LifecyclePolicyInvalid.of(v.check(), v.detail());
        });
    }
}
