package io.lading.http.authz;

import java.util.List;
import java.util.Map;

/**
 * Condition keys an operation adds to the request context (spec iam-policy.md §6): the tags of a
 * {@code CreateRepository} / {@code TagResource} request ({@code aws:RequestTag/<k>}), the tag keys of a
 * tagging request ({@code aws:TagKeys}) and single-valued keys such as {@code ecr:AccountSetting}.
 * Immutable.
 *
 * @param requestTags tags in the request, or empty
 * @param tagKeys tag keys in the request ({@code aws:TagKeys}), or null when the key is absent
 * @param requestTagsAreResourceTags true for {@code CreateRepository}: the request's tags stand in for
 *     the resource tags of the repository about to exist
 * @param other other single-valued keys, e.g. {@code ecr:AccountSetting}
 */
public record RequestKeys(Map<String, String> requestTags, List<String> tagKeys, boolean requestTagsAreResourceTags,
        Map<String, String> other) {

    /** No extra keys. */
    public static final RequestKeys NONE = new RequestKeys(Map.of(), null, false, Map.of());

    public RequestKeys {
        requestTags = requestTags == null ? Map.of() : requestTags;
        other = other == null ? Map.of() : other;
    }
}
