package io.lading.lifecycle.policy;

import java.util.Optional;

/**
 * The storage class of an image and of a rule's selection. The policy document spells it in lower case
 * ({@code standard}, {@code archive}); ECR's API enums in upper case ({@code STANDARD}, {@code ARCHIVE}).
 * Immutable and thread-safe.
 *
 * @see "lifecycle-policy.md §2, §4"
 */
public enum StorageClass {
    /** Pullable storage; the default class of a rule's selection. */
    STANDARD("standard"),
    /** Archived storage: listed as {@code ARCHIVED} but not pullable. */
    ARCHIVE("archive");

    private final String policyName;

    StorageClass(String policyName) {
        this.policyName = policyName;
    }

    /** The spelling inside a lifecycle policy document ({@code standard}, {@code archive}). */
    public String policyName() {
        return policyName;
    }

    /** The spelling in API shapes ({@code STANDARD}, {@code ARCHIVE}). */
    public String apiName() {
        return name();
    }

    /** The class spelled {@code text} in a policy document, if any (case-sensitive). */
    public static Optional<StorageClass> fromPolicyName(String text) {
        for (StorageClass c : values()) {
            if (c.policyName.equals(text)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
