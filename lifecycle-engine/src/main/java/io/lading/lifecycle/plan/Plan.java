package io.lading.lifecycle.plan;

import io.lading.lifecycle.policy.ActionType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of evaluating a policy over a snapshot: the images to act on, each with the rule that
 * decided, ordered by {@code imagePushedAt} ascending then digest ascending (the order the expirer applies
 * them and the preview lists them). Images left alone are absent. Immutable and thread-safe.
 *
 * @param evaluatedAt the instant the plan was computed for (the snapshot's {@code now})
 * @param actions the decisions, at most one per digest
 * @see "lifecycle-policy.md §7, §8, §9"
 */
public record Plan(Instant evaluatedAt, List<PlannedAction> actions) {

    public Plan {
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        actions = List.copyOf(actions);
    }

    /** The decision for {@code digest}, if the plan acts on it. */
    public Optional<PlannedAction> actionFor(String digest) {
        return actions.stream().filter(a -> a.image().digest().equals(digest)).findFirst();
    }

    /** The decisions that delete images. */
    public List<PlannedAction> expiring() {
        return ofType(ActionType.EXPIRE);
    }

    /** The decisions that move images to another storage class. */
    public List<PlannedAction> transitioning() {
        return ofType(ActionType.TRANSITION);
    }

    /** True when nothing is to be done. */
    public boolean isEmpty() {
        return actions.isEmpty();
    }

    private List<PlannedAction> ofType(ActionType type) {
        return actions.stream().filter(a -> a.action().type() == type).toList();
    }
}
