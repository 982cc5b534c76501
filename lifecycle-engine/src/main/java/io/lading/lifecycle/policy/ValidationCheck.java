package io.lading.lifecycle.policy;

/**
 * The validation checks of lifecycle-policy.md §5, in the order they run. When a document fails several
 * checks, the failure of the earliest check (in this enum's order) is reported; among failures of the same
 * check, the first in document order. Immutable and thread-safe.
 *
 * @see "lifecycle-policy.md §5"
 */
public enum ValidationCheck {
    /** §5.1: text shorter than 100 or longer than 30720 characters. */
    LENGTH,
    /** Not JSON, not an object at the top level, duplicate keys or trailing content. */
    S1,
    /** {@code rules} missing. */
    S2,
    /** {@code rules} not an array. */
    S3,
    /** {@code rules} empty. */
    S4,
    /** A rule that is not an object. */
    S5,
    /** A rule, selection or action without a required member. */
    S6,
    /** An unknown member. */
    S7,
    /** A member that is JSON null or of the wrong JSON type. */
    S8,
    /** A value outside its enum. */
    S9,
    /** {@code rulePriority} or {@code countNumber} below 1. */
    S10,
    /** Invalid {@code countType}, or {@code countUnit}/{@code targetStorageClass} present or absent wrongly. */
    S11,
    /** An integer that does not fit the model (beyond 32 bits); reported with the S1 wording. */
    MAPPING,
    /** Duplicate {@code rulePriority}. */
    C1,
    /** Tagged rule without a (non-empty) tag list. */
    C2,
    /** Tag list on an untagged or any rule. */
    C3,
    /** Both tag lists in one rule. */
    C4,
    /** A pattern with more than four wildcards. */
    C5,
    /** More than one untagged rule in a storage class. */
    C6,
    /** An any rule that is not the last of its storage class. */
    C7,
    /** Two rules of a class with the same set of tag prefixes. */
    C8,
    /** {@code sinceImagePulled} with an expire action. */
    C9,
    /** {@code sinceImageTransitioned} without archive/expire, or archive with another count type. */
    C10,
    /** {@code sinceImageTransitioned} with fewer than 90 days. */
    C11,
    /** More than 50 rules. */
    C12
}
