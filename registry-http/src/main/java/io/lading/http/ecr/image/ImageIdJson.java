package io.lading.http.ecr.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.digest.Digest;
import io.lading.core.tag.Tag;
import io.lading.http.ecr.EcrInput;
import io.lading.http.ecr.EcrJson;
import java.util.ArrayList;
import java.util.List;

/**
 * ECR's {@code ImageIdentifier} ({@code imageDigest} and/or {@code imageTag}) as sent, and the per-item
 * checks that BatchGetImage and BatchDeleteImage report as {@code ImageFailure}s.
 *
 * @param digestText the {@code imageDigest} exactly as sent, or null
 * @param tagText the {@code imageTag} exactly as sent, or null
 */
record ImageIdJson(String digestText, String tagText) {

    /** Failure codes of {@code ImageFailure} (model enum {@code ImageFailureCode}). */
    static final String INVALID_IMAGE_DIGEST = "InvalidImageDigest";
    static final String INVALID_IMAGE_TAG = "InvalidImageTag";
    static final String TAG_DOES_NOT_MATCH_DIGEST = "ImageTagDoesNotMatchDigest";
    static final String IMAGE_NOT_FOUND = "ImageNotFound";
    static final String MISSING_DIGEST_AND_TAG = "MissingDigestAndTag";
    static final String REFERENCED_BY_MANIFEST_LIST = "ImageReferencedByManifestList";

    static final String NOT_FOUND_REASON = "Requested image not found";

    /** The required {@code imageIds} list, 1 to 100 items. */
    static List<ImageIdJson> requiredList(EcrInput in) {
        List<EcrInput> items = in.objects("imageIds", 1, 100);
        if (items == null) {
            throw EcrInput.notNull("imageIds");
        }
        return parse(items);
    }

    static List<ImageIdJson> parse(List<EcrInput> items) {
        List<ImageIdJson> out = new ArrayList<>();
        for (EcrInput item : items) {
            out.add(new ImageIdJson(item.string("imageDigest"), item.string("imageTag")));
        }
        return out;
    }

    /** The failure code this identifier earns before any lookup, or null if it is well-formed. */
    String problem() {
        if (digestText == null && tagText == null) {
            return MISSING_DIGEST_AND_TAG;
        }
        if (digestText != null && !Digest.isDigest(digestText)) {
            return INVALID_IMAGE_DIGEST;
        }
        if (tagText != null && !Tag.isValid(tagText)) {
            return INVALID_IMAGE_TAG;
        }
        return null;
    }

    /** ECR's reason text for a failure code. */
    static String reason(String code) {
        return switch (code) {
            case MISSING_DIGEST_AND_TAG -> "Invalid request parameters: both tag and digest cannot be null";
            case INVALID_IMAGE_DIGEST -> "Invalid image digest";
            case INVALID_IMAGE_TAG -> "Invalid image tag";
            case TAG_DOES_NOT_MATCH_DIGEST -> "Invalid request parameters: image tag digest does not match image digest";
            case IMAGE_NOT_FOUND -> NOT_FOUND_REASON;
            default -> code;
        };
    }

    /** The parsed digest; only after {@link #problem()} returned null. */
    Digest digest() {
        return digestText == null ? null : Digest.parse(digestText);
    }

    /** The parsed tag; only after {@link #problem()} returned null. */
    Tag tag() {
        return tagText == null ? null : Tag.of(tagText);
    }

    /** The identifier as sent. */
    ObjectNode json() {
        return of(digestText, tagText);
    }

    /** An {@code ImageIdentifier} object; absent members omitted. */
    static ObjectNode of(Object digest, String tag) {
        ObjectNode id = EcrJson.object();
        if (digest != null) {
            id.put("imageDigest", digest.toString());
        }
        if (tag != null) {
            id.put("imageTag", tag);
        }
        return id;
    }

    /** Adds an {@code ImageFailure} for this identifier. */
    void fail(ArrayNode failures, String code, String reason) {
        ObjectNode f = failures.addObject();
        f.set("imageId", json());
        f.put("failureCode", code);
        f.put("failureReason", reason);
    }

    void fail(ArrayNode failures, String code) {
        fail(failures, code, reason(code));
    }
}
