package io.lading.lifecycle.policy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The semantic checks that compare rules with each other: C1 (unique priorities), C6 (one untagged rule
 * per class), C7 (the any rule comes last in its class), C8 (unique prefix sets per class) and C12 (at
 * most 50 rules). Rules are grouped by their selection storage class.
 */
final class RuleSetChecks {

    static final int MAX_RULES = 50;
    static final String PRIORITY_UNIQUE = "rulePriority must be unique across rules.";
    static final String ONE_UNTAGGED = "Only one rule can select Untagged images per storage class.";
    static final String ANY_LAST = "Rule for tagStatus=ANY must have the lowest priority per storage class";
    static final String UNIQUE_PREFIXES = "The set of rules must contain a unique set of tag prefixes.";
    static final String TOO_MANY_RULES = "A lifecycle policy can contain at most 50 rules.";

    private RuleSetChecks() {
    }

    static void validate(List<RuleDraft> rules, List<Violation> out) {
        Set<Integer> priorities = new HashSet<>();
        for (RuleDraft d : rules) {
            if (!priorities.add(d.priority())) {
                out.add(d.violation(ValidationCheck.C1, PRIORITY_UNIQUE));
            }
        }
        for (StorageClass storageClass : StorageClass.values()) {
            List<RuleDraft> inClass = rules.stream().filter(d -> d.storageClass() == storageClass).toList();
            perClass(inClass, out);
        }
        if (rules.size() > MAX_RULES) {
            out.add(rules.get(MAX_RULES).violation(ValidationCheck.C12, TOO_MANY_RULES));
        }
    }

    private static void perClass(List<RuleDraft> rules, List<Violation> out) {
        int last = rules.stream().mapToInt(RuleDraft::priority).max().orElse(0);
        boolean untaggedSeen = false;
        Set<Set<String>> prefixSets = new HashSet<>();
        for (RuleDraft d : rules) {
            switch (d.tagStatus()) {
                case UNTAGGED -> {
                    if (untaggedSeen) {
                        out.add(d.violation(ValidationCheck.C6, ONE_UNTAGGED));
                    }
                    untaggedSeen = true;
                }
                case ANY -> {
                    if (d.priority() != last) {
                        out.add(d.violation(ValidationCheck.C7, ANY_LAST));
                    }
                }
                case TAGGED -> {
                    if (d.prefixes() != null && !d.prefixes().isEmpty()
                            && !prefixSets.add(new TreeSet<>(d.prefixes()))) {
                        out.add(d.violation(ValidationCheck.C8, UNIQUE_PREFIXES));
                    }
                }
            }
        }
    }
}
