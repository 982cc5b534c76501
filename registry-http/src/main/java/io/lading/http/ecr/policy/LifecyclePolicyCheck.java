package io.lading.http.ecr.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lading.http.ecr.EcrErrorType;
import io.lading.http.ecr.EcrException;
import io.lading.http.ecr.EcrInput;
import java.io.IOException;

/**
 * The structural part of lifecycle policy validation (lifecycle-policy.md 5.1 and 5.2, checks S1 to S5):
 * length 100 to 30,720 characters, a JSON object, a non-empty {@code rules} array of objects. The rule
 * grammar and semantic checks belong to the lifecycle engine.
 */
public final class LifecyclePolicyCheck {

    public static final int MIN_LENGTH = 100;
    public static final int MAX_LENGTH = 30_720;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private LifecyclePolicyCheck() {
    }

    /** Checks {@code text}; throws ECR's InvalidParameterException on the first failure. */
    public static void check(String text) {
        EcrInput.checkLength("lifecyclePolicyText", text, MIN_LENGTH, MAX_LENGTH);
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (IOException e) {
            throw failure("Could not map policyString into LifecyclePolicy.");
        }
        if (root == null || !root.isObject()) {
            throw failure("Could not map policyString into LifecyclePolicy.");
        }
        JsonNode rules = root.get("rules");
        if (rules == null) {
            throw failure("object has missing required properties ([\"rules\"])");
        }
        if (!rules.isArray()) {
            throw failure(typeMismatch(rules, "array"));
        }
        if (rules.isEmpty()) {
            throw failure("array is too short: must have at least 1 elements but instance has 0 elements");
        }
        for (JsonNode rule : rules) {
            if (!rule.isObject()) {
                throw failure(typeMismatch(rule, "object"));
            }
        }
    }

    private static String typeMismatch(JsonNode n, String allowed) {
        return "instance type (" + jsonType(n) + ") does not match any allowed primitive type (allowed: [\""
                + allowed + "\"])";
    }

    /** The JSON Schema type name of a node, as json-schema-validator reports it. */
    private static String jsonType(JsonNode n) {
        if (n.isNull()) {
            return "null";
        }
        if (n.isObject()) {
            return "object";
        }
        if (n.isArray()) {
            return "array";
        }
        if (n.isTextual()) {
            return "string";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        return n.isIntegralNumber() ? "integer" : "number";
    }

    private static EcrException failure(String detail) {
        return EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'LifecyclePolicyText' failed to satisfy "
                + "constraint: 'Lifecycle policy validation failure: " + detail + "'");
    }
}
