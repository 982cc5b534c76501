package io.lading.lifecycle.policy;

import java.util.Optional;

/**
 * A rule's {@code selection.tagStatus}, also used for the {@code filter.tagStatus} of
 * GetLifecyclePolicyPreview. Policy spelling is lower case, API spelling upper case. Immutable and
 * thread-safe.
 *
 * @see "lifecycle-policy.md §4, §6"
 */
public enum TagStatus {
    /** Images with at least one tag (further narrowed by a prefix or pattern list). */
    TAGGED("tagged"),
    /** Images without tags. */
    UNTAGGED("untagged"),
    /** Every image of the storage class. */
    ANY("any");

    private final String policyName;

    TagStatus(String policyName) {
        this.policyName = policyName;
    }

    /** The spelling inside a lifecycle policy document. */
    public String policyName() {
        return policyName;
    }

    /** The spelling in API shapes ({@code TAGGED}, {@code UNTAGGED}, {@code ANY}). */
    public String apiName() {
        return name();
    }

    /** True when an image with these tags has this status ({@code ANY} always holds). */
    public boolean holdsFor(java.util.List<String> tags) {
        return switch (this) {
            case ANY -> true;
            case TAGGED -> !tags.isEmpty();
            case UNTAGGED -> tags.isEmpty();
        };
    }

    /** The status spelled {@code text} in a policy document, if any (case-sensitive). */
    public static Optional<TagStatus> fromPolicyName(String text) {
        for (TagStatus s : values()) {
            if (s.policyName.equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The status spelled {@code text} in an API request ({@code TAGGED}...), if any (case-sensitive). */
    public static Optional<TagStatus> fromApiName(String text) {
        for (TagStatus s : values()) {
            if (s.name().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
