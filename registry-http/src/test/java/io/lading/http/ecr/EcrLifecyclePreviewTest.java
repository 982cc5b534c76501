package io.lading.http.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.LadingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewNotFoundException;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewStatus;

/** Lifecycle policy validation by the engine, and the preview operations, through the AWS SDK. */
class EcrLifecyclePreviewTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server();

    static EcrClient ecr;

    private static final String KEEP_ONE = """
            {"rules":[{"rulePriority":1,"description":"keep one v image",
             "selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1},
             "action":{"type":"expire"}}]}""";

    @BeforeAll
    static void client() {
        ecr = EcrTestSupport.client(server);
    }

    @AfterAll
    static void close() {
        ecr.close();
    }

    @Test
    void previewsWhatTheExpirerWouldDoWithoutChangingAnything() {
        ecr.createRepository(b -> b.repositoryName("lc/preview"));
        EcrTestImages.Pushed old = EcrTestImages.pushImage(ecr, "lc/preview", "application/vnd.oci.image.manifest.v1+json",
                "old", "v1");
        EcrTestImages.pushImage(ecr, "lc/preview", "application/vnd.oci.image.manifest.v1+json", "new", "v2");
        assertThrows(LifecyclePolicyPreviewNotFoundException.class,
                () -> ecr.getLifecyclePolicyPreview(b -> b.repositoryName("lc/preview")));
        assertThrows(LifecyclePolicyNotFoundException.class,
                () -> ecr.startLifecyclePolicyPreview(b -> b.repositoryName("lc/preview")));

        var started = ecr.startLifecyclePolicyPreview(b -> b.repositoryName("lc/preview").lifecyclePolicyText(KEEP_ONE));
        assertEquals(KEEP_ONE, started.lifecyclePolicyText());
        var preview = ecr.getLifecyclePolicyPreview(b -> b.repositoryName("lc/preview"));
        assertEquals(LifecyclePolicyPreviewStatus.COMPLETE, preview.status());
        assertEquals(1, preview.previewResults().size());
        assertEquals(old.digest(), preview.previewResults().get(0).imageDigest());
        assertEquals("v1", preview.previewResults().get(0).imageTags().get(0));
        assertEquals(1, preview.previewResults().get(0).appliedRulePriority());
        assertEquals("EXPIRE", preview.previewResults().get(0).action().typeAsString());
        assertEquals(1, preview.summary().expiringImageTotalCount());
        // a preview changes nothing: both images are still there, and no policy was stored
        assertEquals(2, ecr.describeImages(b -> b.repositoryName("lc/preview")).imageDetails().size());
        assertThrows(LifecyclePolicyNotFoundException.class,
                () -> ecr.getLifecyclePolicy(b -> b.repositoryName("lc/preview")));
    }

    @Test
    void putLifecyclePolicyRefusesWhatTheEngineRefuses() {
        ecr.createRepository(b -> b.repositoryName("lc/invalid"));
        String zeroCount = KEEP_ONE.replace("\"countNumber\":1", "\"countNumber\":0");
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> ecr.putLifecyclePolicy(b -> b.repositoryName("lc/invalid").lifecyclePolicyText(zeroCount)));
        assertTrue(e.awsErrorDetails().errorMessage().contains("Lifecycle policy validation failure"),
                e.awsErrorDetails().errorMessage());
        assertThrows(LifecyclePolicyNotFoundException.class,
                () -> ecr.getLifecyclePolicy(b -> b.repositoryName("lc/invalid")));
        ecr.putLifecyclePolicy(b -> b.repositoryName("lc/invalid").lifecyclePolicyText(KEEP_ONE));
        assertEquals(KEEP_ONE, ecr.getLifecyclePolicy(b -> b.repositoryName("lc/invalid")).lifecyclePolicyText());
    }
}
