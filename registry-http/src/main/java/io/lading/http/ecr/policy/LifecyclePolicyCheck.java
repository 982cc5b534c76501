package io.lading.http.ecr.policy;

import io.lading.http.ecr.EcrErrorType;
import io.lading.lifecycle.policy.LifecyclePolicy;
import io.lading.lifecycle.policy.LifecyclePolicyInvalid;

/**
 * Lifecycle policy validation for the API: the lifecycle engine's parser (lifecycle-policy.md 5, every
 * structural and semantic check), its failures as ECR's {@code InvalidParameterException}. The same parser
 * serves the preview and the expirer, so what is accepted is what runs.
 */
public final class LifecyclePolicyCheck {

    private LifecyclePolicyCheck() {
    }

    /** Parses {@code text}; throws ECR's InvalidParameterException with the engine's message. */
    public static LifecyclePolicy check(String text) {
        try {
            return LifecyclePolicy.parse(text);
        } catch (LifecyclePolicyInvalid e) {
            throw EcrErrorType.INVALID_PARAMETER.error(e.getMessage());
        }
    }
}
