package io.lading.lifecycle.policy;

import java.util.List;

/**
 * A rule that passed the structural checks (§5.2), with its members typed but not yet checked against
 * each other (§5.3). The per-kind validators read it; {@link LifecycleRule} is built from it once every
 * check passed.
 *
 * @param index position in the {@code rules} array
 * @param prefixes {@code tagPrefixList}, or null when absent
 * @param patterns {@code tagPatternList}, or null when absent
 * @param storageClass the selection's class, {@link StorageClass#STANDARD} when absent
 */
record RuleDraft(
        int index,
        int priority,
        String description,
        TagStatus tagStatus,
        List<String> prefixes,
        List<String> patterns,
        StorageClass storageClass,
        CountType countType,
        int countNumber,
        RuleAction action) {

    Violation violation(ValidationCheck check, String detail) {
        return new Violation(check, index, detail);
    }
}
