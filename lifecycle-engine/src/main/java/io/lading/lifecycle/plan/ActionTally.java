package io.lading.lifecycle.plan;

import io.lading.lifecycle.policy.ActionType;
import io.lading.lifecycle.policy.StorageClass;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Counts decisions into a preview's {@code summary}: expiring images, transitions per target class. Not thread-safe. */
final class ActionTally {

    private int expiring;
    private final Map<StorageClass, Integer> transitioning = new EnumMap<>(StorageClass.class);

    void add(PlannedAction a) {
        if (a.action().type() == ActionType.EXPIRE) {
            expiring++;
        } else {
            transitioning.merge(a.action().targetStorageClass(), 1, Integer::sum);
        }
    }

    PreviewResult.Summary summary() {
        List<PreviewResult.TransitionCount> counts = transitioning.entrySet().stream()
                .map(e -> new PreviewResult.TransitionCount(e.getKey().apiName(), e.getValue()))
                .toList();
        return new PreviewResult.Summary(expiring, counts);
    }
}
