package io.lading.core.repository;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A repository's own settings, persisted as its {@code _repository} document and replaced by
 * compare-and-swap. Immutable.
 *
 * @param createdAt when the repository was created
 * @param tagMutability tag mutability mode and exclusion filters
 * @param scanOnPush the (legacy) repository scanning setting
 * @param encryptionType AES256 or KMS
 * @param kmsKey the KMS key for KMS encryption, or null
 * @param resourceTags resource tags (ECR TagResource), in insertion order
 * @param repositoryPolicy the repository policy text, or null
 * @param lifecyclePolicy the lifecycle policy text, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RepositoryRecord(
        Instant createdAt,
        TagMutability tagMutability,
        boolean scanOnPush,
        String encryptionType,
        String kmsKey,
        Map<String, String> resourceTags,
        String repositoryPolicy,
        String lifecyclePolicy) {

    public RepositoryRecord {
        tagMutability = tagMutability == null ? TagMutability.mutable() : tagMutability;
        encryptionType = encryptionType == null ? "AES256" : encryptionType;
        resourceTags = resourceTags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(resourceTags));
    }

    /** ECR's defaults: MUTABLE, no scan on push, AES256, no tags or policies. */
    public static RepositoryRecord defaults(Instant createdAt) {
        return new RepositoryRecord(createdAt, TagMutability.mutable(), false, "AES256", null, Map.of(), null, null);
    }

    public RepositoryRecord withTagMutability(TagMutability m) {
        return new RepositoryRecord(createdAt, m, scanOnPush, encryptionType, kmsKey, resourceTags, repositoryPolicy,
                lifecyclePolicy);
    }

    public RepositoryRecord withScanOnPush(boolean scan) {
        return new RepositoryRecord(createdAt, tagMutability, scan, encryptionType, kmsKey, resourceTags,
                repositoryPolicy, lifecyclePolicy);
    }

    public RepositoryRecord withResourceTags(Map<String, String> tags) {
        return new RepositoryRecord(createdAt, tagMutability, scanOnPush, encryptionType, kmsKey, tags,
                repositoryPolicy, lifecyclePolicy);
    }

    public RepositoryRecord withRepositoryPolicy(String policy) {
        return new RepositoryRecord(createdAt, tagMutability, scanOnPush, encryptionType, kmsKey, resourceTags,
                policy, lifecyclePolicy);
    }

    public RepositoryRecord withLifecyclePolicy(String policy) {
        return new RepositoryRecord(createdAt, tagMutability, scanOnPush, encryptionType, kmsKey, resourceTags,
                repositoryPolicy, policy);
    }
}
