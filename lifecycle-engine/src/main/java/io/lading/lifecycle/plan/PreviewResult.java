package io.lading.lifecycle.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.lading.lifecycle.policy.RuleAction;
import io.lading.lifecycle.policy.TagStatus;
import java.time.Instant;
import java.util.List;

/**
 * The {@code previewResults} and {@code summary} of a completed GetLifecyclePolicyPreview, computed from
 * a {@link Plan}. Member names and enum spellings (upper case) are the wire's, so a plain Jackson
 * {@code ObjectMapper} serialises each part as ECR does (timestamps as epoch seconds). Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * PreviewResult preview = PreviewResult.of(plan);
 * List<PreviewResult.Entry> page = preview.entries(TagStatus.UNTAGGED);   // filter {"tagStatus":"UNTAGGED"}
 * body.set("previewResults", mapper.valueToTree(page));
 * body.set("summary", mapper.valueToTree(preview.summary()));            // counts the whole preview
 * // {"expiringImageTotalCount":3}
 * }</pre>
 *
 * @param previewResults one entry per planned action, {@code imagePushedAt} then digest ascending
 * @param summary totals over all entries, whatever filter or page the caller shows
 * @see "lifecycle-policy.md §3.5, §9"
 */
@JsonPropertyOrder({"previewResults", "summary"})
public record PreviewResult(List<Entry> previewResults, Summary summary) {

    public PreviewResult {
        previewResults = List.copyOf(previewResults);
    }

    /** The preview of {@code plan}. */
    public static PreviewResult of(Plan plan) {
        return new PreviewResult(plan.actions().stream().map(Entry::of).toList(), summaryOf(plan));
    }

    /** The {@code summary} of {@code plan}'s preview, without building its entries. */
    public static Summary summaryOf(Plan plan) {
        ActionTally tally = new ActionTally();
        plan.actions().forEach(tally::add);
        return tally.summary();
    }

    /** The entries whose image currently has at least one tag / no tag / anything ({@code filter.tagStatus}). */
    public List<Entry> entries(TagStatus filter) {
        return previewResults.stream().filter(e -> filter.holdsFor(e.imageTags())).toList();
    }

    /**
     * One {@code previewResults} element.
     *
     * @param imageTags the image's tags at snapshot time
     * @param imageDigest the image digest
     * @param imagePushedAt when the image was pushed (serialised as epoch seconds)
     * @param action what would be done
     * @param appliedRulePriority the deciding rule's priority
     * @param storageClass the image's current class ({@code STANDARD} or {@code ARCHIVE})
     */
    @JsonPropertyOrder({"imageTags", "imageDigest", "imagePushedAt", "action", "appliedRulePriority",
            "storageClass"})
    public record Entry(List<String> imageTags, String imageDigest, @JsonIgnore Instant imagePushedAt,
            Action action, int appliedRulePriority, String storageClass) {

        public Entry {
            imageTags = List.copyOf(imageTags);
        }

        /** The entry of one planned action. */
        public static Entry of(PlannedAction a) {
            CandidateImage i = a.image();
            return new Entry(i.tags(), i.digest(), i.pushedAt(), Action.of(a.action()), a.rulePriority(),
                    i.storageClass().apiName());
        }

        /** {@code imagePushedAt} as AWS JSON 1.1 writes timestamps: epoch seconds, millisecond precision. */
        @JsonProperty("imagePushedAt")
        public double imagePushedAtEpochSeconds() {
            return imagePushedAt.toEpochMilli() / 1000.0;
        }
    }

    /**
     * The {@code action} member: {@code {"type":"EXPIRE"}} or
     * {@code {"type":"TRANSITION","targetStorageClass":"ARCHIVE"}}.
     *
     * @param type {@code EXPIRE} or {@code TRANSITION}
     * @param targetStorageClass {@code ARCHIVE} for a transition, null (omitted) for an expiry
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "targetStorageClass"})
    public record Action(String type, String targetStorageClass) {

        static Action of(RuleAction a) {
            return new Action(a.type().apiName(),
                    a.targetStorageClass() == null ? null : a.targetStorageClass().apiName());
        }
    }

    /**
     * The {@code summary} member.
     *
     * @param expiringImageTotalCount images that would be deleted (0 allowed, always present)
     * @param transitioningImageTotalCounts per target class; empty, and then omitted, when nothing moves
     */
    @JsonPropertyOrder({"expiringImageTotalCount", "transitioningImageTotalCounts"})
    public record Summary(int expiringImageTotalCount,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TransitionCount> transitioningImageTotalCounts) {

        public Summary {
            transitioningImageTotalCounts = List.copyOf(transitioningImageTotalCounts);
        }
    }

    /**
     * One {@code transitioningImageTotalCounts} element.
     *
     * @param targetStorageClass {@code ARCHIVE}
     * @param imageTotalCount images that would move there
     */
    @JsonPropertyOrder({"targetStorageClass", "imageTotalCount"})
    public record TransitionCount(String targetStorageClass, int imageTotalCount) {
    }
}
