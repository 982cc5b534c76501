package io.lading.lifecycle.plan;

import static io.lading.lifecycle.plan.Fixtures.NOW;
import static io.lading.lifecycle.plan.Fixtures.at;
import static io.lading.lifecycle.plan.Fixtures.builder;
import static io.lading.lifecycle.plan.Fixtures.image;
import static io.lading.lifecycle.plan.Fixtures.images;
import static io.lading.lifecycle.plan.Fixtures.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.lifecycle.policy.StorageClass;
import io.lading.lifecycle.policy.TagStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preview shape of §3.5 and §9, computed from plans of the worked vectors. */
class PreviewResultTest {

    static final String LV06_POLICY = """
            {"rules":[
             {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["alpha*"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},
             {"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}},
             {"rulePriority":3,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}
            """;

    static final List<CandidateImage> LV06_IMAGES = images(
            image("A", "2025-06-27T00:00:00Z", "alpha-1", "beta-1"),
            image("B", "2025-06-28T00:00:00Z"),
            image("C", "2025-06-29T00:00:00Z", "alpha-2"),
            image("D", "2025-06-30T00:00:00Z", "githash-7f3a"),
            image("E", "2025-06-30T06:00:00Z"));

    static final String LV13_POLICY = """
            {"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":90},"action":{"type":"transition","targetStorageClass":"archive"}}]}
            """;

    static final List<CandidateImage> LV13_IMAGES = images(
            builder("P1", "2025-01-01", "a").lastRecordedPullTime(at("2025-06-15")).build(),
            image("P2", "2025-01-01", "b"),
            builder("P3", "2025-03-01", "c").lastRecordedPullTime(at("2025-03-15")).build(),
            builder("P4", "2024-01-01", "d").lastRecordedPullTime(at("2024-02-01"))
                    .lastArchivedAt(at("2024-06-01")).lastActivatedAt(at("2025-05-01")).build(),
            builder("P5", "2024-01-01", "e").storageClass(StorageClass.ARCHIVE).lastArchivedAt(at("2024-03-01")).build());

    private final ObjectMapper mapper = new ObjectMapper();

    private static PreviewResult preview(String policy, List<CandidateImage> images) {
        return PreviewResult.of(LifecyclePlanner.plan(policy(policy), images, NOW));
    }

    @Test
    void lv06PreviewListsEntriesByPushTimeWithTheirRules() throws Exception {
        PreviewResult preview = preview(LV06_POLICY, LV06_IMAGES);

        assertEquals("""
                [{"imageTags":["alpha-1","beta-1"],"imageDigest":"sha256:A","imagePushedAt":1.7509824E9,\
                "action":{"type":"EXPIRE"},"appliedRulePriority":1,"storageClass":"STANDARD"},\
                {"imageTags":[],"imageDigest":"sha256:B","imagePushedAt":1.7510688E9,\
                "action":{"type":"EXPIRE"},"appliedRulePriority":2,"storageClass":"STANDARD"},\
                {"imageTags":["githash-7f3a"],"imageDigest":"sha256:D","imagePushedAt":1.7512416E9,\
                "action":{"type":"EXPIRE"},"appliedRulePriority":3,"storageClass":"STANDARD"}]""",
                mapper.writeValueAsString(preview.previewResults()));
        assertEquals("{\"expiringImageTotalCount\":3}", mapper.writeValueAsString(preview.summary()));
    }

    @Test
    void lv06UntaggedFilterKeepsOnlyBAndLeavesTheSummaryAlone() {
        PreviewResult preview = preview(LV06_POLICY, LV06_IMAGES);

        List<PreviewResult.Entry> untagged = preview.entries(TagStatus.UNTAGGED);

        assertEquals(List.of("sha256:B"), untagged.stream().map(PreviewResult.Entry::imageDigest).toList());
        assertEquals(List.of("sha256:A", "sha256:D"),
                preview.entries(TagStatus.TAGGED).stream().map(PreviewResult.Entry::imageDigest).toList());
        assertEquals(preview.previewResults(), preview.entries(TagStatus.ANY));
        assertEquals(3, preview.summary().expiringImageTotalCount());
    }

    @Test
    void lv13TransitionsAreCountedPerTargetClass() throws Exception {
        PreviewResult preview = preview(LV13_POLICY, LV13_IMAGES);

        assertEquals("{\"expiringImageTotalCount\":0,\"transitioningImageTotalCounts\":"
                + "[{\"targetStorageClass\":\"ARCHIVE\",\"imageTotalCount\":2}]}",
                mapper.writeValueAsString(preview.summary()));
        assertEquals("{\"type\":\"TRANSITION\",\"targetStorageClass\":\"ARCHIVE\"}",
                mapper.writeValueAsString(preview.previewResults().get(0).action()));
        assertEquals(List.of("sha256:P2", "sha256:P3"),
                preview.previewResults().stream().map(PreviewResult.Entry::imageDigest).toList());
    }

    @Test
    void emptyPlanHasZeroExpiringAndNoTransitionMember() throws Exception {
        PreviewResult preview = preview(LV06_POLICY, List.of());

        assertTrue(preview.previewResults().isEmpty());
        assertEquals("{\"previewResults\":[],\"summary\":{\"expiringImageTotalCount\":0}}",
                mapper.writeValueAsString(preview));
    }

    @Test
    void entryCarriesTheImagesCurrentStorageClassAndMillisecondTimestamps() {
        PreviewResult preview = preview("""
                {"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","storageClass":"archive",
                "countType":"sinceImageTransitioned","countUnit":"days","countNumber":90},"action":{"type":"expire"}}]}""",
                List.of(CandidateImage.builder("sha256:Q", at("2024-01-01T00:00:00.123Z"))
                        .storageClass(StorageClass.ARCHIVE).lastArchivedAt(at("2024-06-01")).build()));

        PreviewResult.Entry entry = preview.previewResults().get(0);
        assertEquals("ARCHIVE", entry.storageClass());
        assertEquals(1704067200.123, entry.imagePushedAtEpochSeconds());
        assertEquals(at("2024-01-01T00:00:00.123Z"), entry.imagePushedAt());
    }
}
