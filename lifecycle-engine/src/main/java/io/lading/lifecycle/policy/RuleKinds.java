package io.lading.lifecycle.policy;

import java.util.List;

/**
 * Routes a structurally valid rule to the validator of its selection kind and count type, and builds the
 * typed rule once everything passed. The switches are exhaustive, so a new kind breaks the build here
 * until it is wired in.
 */
final class RuleKinds {

    private RuleKinds() {
    }

    /** Adds the violations of checks C2 to C5 and C9 to C11 for one rule. */
    static void validate(RuleDraft d, List<Violation> out) {
        switch (d.tagStatus()) {
            case ANY -> AnyTagSelection.validate(d, out);
            case UNTAGGED -> UntaggedSelection.validate(d, out);
            case TAGGED -> {
                TagPrefixSelection.validateTagged(d, out);
                if (d.prefixes() == null && d.patterns() != null) {
                    TagPatternSelection.validate(d, out);
                }
            }
        }
        switch (d.countType()) {
            case IMAGE_COUNT_MORE_THAN -> ImageCountMoreThan.validate(d, out);
            case SINCE_IMAGE_PUSHED -> SinceImagePushed.validate(d, out);
            case SINCE_IMAGE_PULLED -> SinceImagePulled.validate(d, out);
            case SINCE_IMAGE_TRANSITIONED -> SinceImageTransitioned.validate(d, out);
        }
    }

    /** The typed rule of a draft that passed every check. */
    static LifecycleRule build(RuleDraft d) {
        TagSelection selection = switch (d.tagStatus()) {
            case ANY -> new AnyTagSelection();
            case UNTAGGED -> new UntaggedSelection();
            case TAGGED -> d.prefixes() != null
                    ? new TagPrefixSelection(d.prefixes())
                    : new TagPatternSelection(d.patterns().stream().map(TagPattern::new).toList());
        };
        CountCriterion count = switch (d.countType()) {
            case IMAGE_COUNT_MORE_THAN -> new ImageCountMoreThan(d.countNumber());
            case SINCE_IMAGE_PUSHED -> new SinceImagePushed(d.countNumber());
            case SINCE_IMAGE_PULLED -> new SinceImagePulled(d.countNumber());
            case SINCE_IMAGE_TRANSITIONED -> new SinceImageTransitioned(d.countNumber());
        };
        return new LifecycleRule(d.priority(), d.description(), d.storageClass(), selection, count, d.action());
    }
}
