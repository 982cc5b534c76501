package io.lading.lifecycle.policy;

/**
 * How a rule picks, among the images it identified, the ones to act on: keep the newest N
 * ({@link ImageCountMoreThan}) or act on those older than N days by a reference time
 * ({@link AgeCriterion}). One implementation per {@code countType}, each validating the combinations of
 * storage class and action it allows. Implementations are immutable and thread-safe; they carry no clock.
 *
 * @see "lifecycle-policy.md §4, §7"
 */
public sealed interface CountCriterion permits ImageCountMoreThan, AgeCriterion {

    /** The {@code countType}. */
    CountType type();

    /** The {@code countNumber} (at least 1). */
    int countNumber();
}
