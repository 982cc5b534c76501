package io.lading.lifecycle.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A validated lifecycle policy: the exact text the client sent (stored verbatim) and its rules sorted by
 * {@code rulePriority}, ascending. Immutable and thread-safe; parse once and share.
 *
 * <pre>{@code
 * LifecyclePolicy policy = LifecyclePolicy.parse(request.lifecyclePolicyText()); // throws LifecyclePolicyInvalid
 * repository.storePolicy(policy.text());
 * }</pre>
 *
 * @see "lifecycle-policy.md §4, §5"
 */
public final class LifecyclePolicy {

    /** The shortest accepted text. */
    public static final int MIN_LENGTH = 100;
    /** The longest accepted text. */
    public static final int MAX_LENGTH = 30_720;

    private final String text;
    private final List<LifecycleRule> rules;

    private LifecyclePolicy(String text, List<LifecycleRule> rules) {
        this.text = text;
        this.rules = rules;
    }

    /**
     * Validates {@code text} with every check of §5, in order, and returns the policy.
     *
     * <p>Length is measured in UTF-16 chars ({@link String#length()}), like the API layer's other length
     * constraints. A null text fails the minimum length.
     *
     * @throws LifecyclePolicyInvalid on the first failed check; its message is ECR's
     *     {@code InvalidParameterException} message, verbatim
     */
    public static LifecyclePolicy parse(String text) {
        if (text == null || text.length() < MIN_LENGTH) {
            throw LifecyclePolicyInvalid.length("Member must have length greater than or equal to " + MIN_LENGTH);
        }
        if (text.length() > MAX_LENGTH) {
            throw LifecyclePolicyInvalid.length("Member must have length less than or equal to " + MAX_LENGTH);
        }
        List<RuleDraft> drafts = PolicySchema.check(text);
        List<Violation> found = new ArrayList<>();
        RuleSetChecks.validate(drafts, found);
        for (RuleDraft d : drafts) {
            RuleKinds.validate(d, found);
        }
        Violation.throwFirst(found);
        List<LifecycleRule> rules = drafts.stream()
                .map(RuleKinds::build)
                .sorted(Comparator.comparingInt(LifecycleRule::rulePriority))
                .toList();
        return new LifecyclePolicy(text, rules);
    }

    /** The policy text exactly as it was parsed. */
    public String text() {
        return text;
    }

    /** The rules, by ascending {@code rulePriority} (evaluation order). Unmodifiable. */
    public List<LifecycleRule> rules() {
        return rules;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LifecyclePolicy p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    @Override
    public String toString() {
        return "LifecyclePolicy" + rules;
    }
}
