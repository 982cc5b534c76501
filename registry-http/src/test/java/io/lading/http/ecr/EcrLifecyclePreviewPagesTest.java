package io.lading.http.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lading.http.testing.LadingServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.GetLifecyclePolicyPreviewResponse;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewResult;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewNotFoundException;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/**
 * A lifecycle preview is kept in the metadata database and read back a page at a time: pages, the tag
 * filter and selection by image id agree with the whole preview, it survives a restart of the node (it is
 * not in the node's memory), and deleting the repository deletes it.
 */
class EcrLifecyclePreviewPagesTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server();

    private static final String KEEP_NEWEST = """
            {"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},
             "action":{"type":"expire"}}]}""";
    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";

    @Test
    void pagesFiltersAndSelectionsReadTheStoredPreviewWhichOutlivesARestart() throws Exception {
        List<String> pushed = new ArrayList<>();
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            ecr.createRepository(b -> b.repositoryName("lc/pages"));
            for (int i = 0; i < 6; i++) {
                // one push after another: each is stored (and its push time taken) before the next is sent
                pushed.add(EcrTestImages.pushImage(ecr, "lc/pages", OCI, "img-" + i, i % 2 == 0 ? "t" + i : null).digest());
            }
            ecr.startLifecyclePolicyPreview(b -> b.repositoryName("lc/pages").lifecyclePolicyText(KEEP_NEWEST));
        }
        server.stop();
        server.start();
        try (EcrClient ecr = EcrTestSupport.client(server)) {
            List<LifecyclePolicyPreviewResult> whole = ecr.getLifecyclePolicyPreview(b -> b.repositoryName("lc/pages"))
                    .previewResults();
            assertEquals(5, whole.size(), "every image but the newest expires");
            assertEquals(pushed.subList(0, 5), whole.stream().map(LifecyclePolicyPreviewResult::imageDigest).toList(),
                    "in push order");

            List<LifecyclePolicyPreviewResult> paged = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String t = token;
                GetLifecyclePolicyPreviewResponse page = ecr.getLifecyclePolicyPreview(b -> b.repositoryName("lc/pages")
                        .maxResults(2).nextToken(t));
                assertEquals(5, page.summary().expiringImageTotalCount(), "the summary counts the whole preview");
                paged.addAll(page.previewResults());
                token = page.nextToken();
                pages++;
            } while (token != null);
            assertEquals(whole, paged);
            assertEquals(3, pages);

            List<LifecyclePolicyPreviewResult> untagged = ecr.getLifecyclePolicyPreview(b -> b.repositoryName("lc/pages")
                    .filter(f -> f.tagStatus(TagStatus.UNTAGGED))).previewResults();
            assertEquals(whole.stream().filter(r -> r.imageTags().isEmpty()).toList(), untagged);
            assertEquals(2, untagged.size());
            List<LifecyclePolicyPreviewResult> taggedPage = ecr.getLifecyclePolicyPreview(b -> b.repositoryName("lc/pages")
                    .filter(f -> f.tagStatus(TagStatus.TAGGED)).maxResults(2)).previewResults();
            assertEquals(whole.stream().filter(r -> !r.imageTags().isEmpty()).limit(2).toList(), taggedPage);

            Set<String> selected = ecr.getLifecyclePolicyPreview(b -> b.repositoryName("lc/pages").imageIds(
                    ImageIdentifier.builder().imageTag("t2").build(), ImageIdentifier.builder().imageDigest(pushed.get(1)).build(),
                    ImageIdentifier.builder().imageDigest(pushed.get(5)).build()))
                    .previewResults().stream().map(LifecyclePolicyPreviewResult::imageDigest).collect(Collectors.toSet());
            assertEquals(Set.of(pushed.get(1), pushed.get(2)), selected, "the newest image is not in the preview");
            assertNull(ecr.getLifecyclePolicyPreview(b -> b.repositoryName("lc/pages").maxResults(5)).nextToken());

            ecr.deleteRepository(b -> b.repositoryName("lc/pages").force(true));
            ecr.createRepository(b -> b.repositoryName("lc/pages"));
            assertThrows(LifecyclePolicyPreviewNotFoundException.class,
                    () -> ecr.getLifecyclePolicyPreview(b -> b.repositoryName("lc/pages")),
                    "a re-created repository starts without the old one's preview");
        }
    }
}
