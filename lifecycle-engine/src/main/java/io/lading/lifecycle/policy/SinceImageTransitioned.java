package io.lading.lifecycle.policy;

import java.util.List;

/**
 * {@code countType: sinceImageTransitioned}: act on archived images that entered the archive more than
 * {@code days} days ago. Requires {@code storageClass: archive}, an expire action (C10) and at least 90
 * days, the archive's minimum stay (C11). Immutable and thread-safe.
 *
 * @param days the age threshold in days (at least {@link #MIN_DAYS})
 * @see "lifecycle-policy.md §4, §7.2"
 */
public record SinceImageTransitioned(int days) implements AgeCriterion {

    /** The archive's minimum stay. */
    public static final int MIN_DAYS = 90;

    static final String ARCHIVE_AND_EXPIRE =
            "countType sinceImageTransitioned requires storageClass archive and action type expire.";
    static final String MINIMUM_STAY = "Archived images must stay in archive for at least 90 days.";

    public SinceImageTransitioned {
        if (days < MIN_DAYS) {
            throw new IllegalArgumentException("days must be at least " + MIN_DAYS);
        }
    }

    @Override
    public CountType type() {
        return CountType.SINCE_IMAGE_TRANSITIONED;
    }

    /** C10: archive class and expire; C11: at least 90 days. */
    static void validate(RuleDraft d, List<Violation> out) {
        if (d.storageClass() != StorageClass.ARCHIVE || d.action().type() != ActionType.EXPIRE) {
            out.add(d.violation(ValidationCheck.C10, ARCHIVE_AND_EXPIRE));
        }
        if (d.countNumber() < MIN_DAYS) {
            out.add(d.violation(ValidationCheck.C11, MINIMUM_STAY));
        }
    }

    /** C10 for the other count types: the archive class is reserved for this one. */
    static void requireStandardClass(RuleDraft d, List<Violation> out) {
        if (d.storageClass() == StorageClass.ARCHIVE) {
            out.add(d.violation(ValidationCheck.C10, ARCHIVE_AND_EXPIRE));
        }
    }
}
