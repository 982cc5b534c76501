package io.lading.auth.policy;

import java.util.Objects;

/**
 * One action that must be allowed on one resource for a request to proceed.
 *
 * <p>Immutable; thread-safe.
 *
 * @param action the ECR action
 * @param resource the repository ARN, or {@code *} for actions without a resource type
 * @param onFailure what a denial of this requirement means for the request
 */
public record ActionRequirement(EcrAction action, String resource, OnFailure onFailure) {

    /** What the front end does when this requirement is denied. */
    public enum OnFailure {
        /** Answer AccessDenied / 403 DENIED. */
        DENY,
        /**
         * Blob mount source [DEC §12]: do not fail; open a normal upload session instead (202),
         * as the distribution spec permits.
         */
        FALL_BACK_TO_UPLOAD,
        /** Catalogue: leave the repository out of the listing. */
        OMIT_FROM_LISTING
    }

    /** Checks for nulls. */
    public ActionRequirement {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(onFailure, "onFailure");
    }
}
