package io.lading.lifecycle.policy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The structural (schema) checks S1 to S11 of §5.2, worded like the {@code json-schema-validator}
 * library ECR runs. Walks the whole document, collects every violation whose preconditions hold (a member
 * of a selection is only inspected when the selection is an object), and reports the earliest check.
 * Stateless and thread-safe.
 */
final class PolicySchema {

    static final String NOT_MAPPABLE = "Could not map policyString into LifecyclePolicy.";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Set<String> ROOT_MEMBERS = Set.of("rules");
    private static final Set<String> RULE_MEMBERS = Set.of("rulePriority", "description", "selection", "action");
    private static final Set<String> RULE_REQUIRED = Set.of("rulePriority", "selection", "action");
    private static final Set<String> SELECTION_MEMBERS = Set.of("tagStatus", "tagPatternList", "tagPrefixList",
            "storageClass", "countType", "countUnit", "countNumber");
    private static final Set<String> SELECTION_REQUIRED = Set.of("tagStatus", "countType", "countNumber");
    private static final Set<String> ACTION_MEMBERS = Set.of("type", "targetStorageClass");
    private static final Set<String> ACTION_REQUIRED = Set.of("type");
    /** json-schema-validator reports how many {@code oneOf} branches it tried; ECR's count is not known. */
    private static final int SELECTION_BRANCHES = CountType.values().length;
    private static final int ACTION_BRANCHES = ActionType.values().length;

    private PolicySchema() {
    }

    /**
     * Checks the structure of {@code text} and returns its rules in document order.
     *
     * @throws LifecyclePolicyInvalid on the first structural failure
     */
    static List<RuleDraft> check(String text) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (IOException e) {
            throw LifecyclePolicyInvalid.of(ValidationCheck.S1, NOT_MAPPABLE);
        }
        if (root == null || !root.isObject()) {
            throw LifecyclePolicyInvalid.of(ValidationCheck.S1, NOT_MAPPABLE);
        }
        JsonNode rules = root.get("rules");
        if (rules == null) {
            throw LifecyclePolicyInvalid.of(ValidationCheck.S2, missing(Set.of("rules")));
        }
        if (!rules.isArray()) {
            throw LifecyclePolicyInvalid.of(ValidationCheck.S3, typeMismatch(rules, "array"));
        }
        if (rules.isEmpty()) {
            throw LifecyclePolicyInvalid.of(ValidationCheck.S4,
                    "array is too short: must have at least 1 elements but instance has 0 elements");
        }
        List<Violation> found = new ArrayList<>();
        members(root, -1, ROOT_MEMBERS, ROOT_MEMBERS, found);
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            if (rule.isObject()) {
                rule(rule, i, found);
            } else {
                found.add(new Violation(ValidationCheck.S5, i, typeMismatch(rule, "object")));
            }
        }
        Violation.throwFirst(found);
        List<RuleDraft> drafts = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            drafts.add(draft(rules.get(i), i));
        }
        return drafts;
    }

    private static void rule(JsonNode rule, int i, List<Violation> found) {
        members(rule, i, RULE_MEMBERS, RULE_REQUIRED, found);
        positiveInt(rule.get("rulePriority"), i, found);
        ofType(rule.get("description"), "string", i, found);
        JsonNode selection = rule.get("selection");
        if (ofType(selection, "object", i, found)) {
            selection(selection, i, found);
        }
        JsonNode action = rule.get("action");
        if (ofType(action, "object", i, found)) {
            action(action, i, found);
        }
    }

    private static void selection(JsonNode s, int i, List<Violation> found) {
        members(s, i, SELECTION_MEMBERS, SELECTION_REQUIRED, found);
        oneOf(s.get("tagStatus"), i, found, "tagged", "untagged", "any");
        stringList(s.get("tagPatternList"), i, found);
        stringList(s.get("tagPrefixList"), i, found);
        oneOf(s.get("storageClass"), i, found, "standard", "archive");
        oneOf(s.get("countUnit"), i, found, "days");
        positiveInt(s.get("countNumber"), i, found);
        JsonNode countType = s.get("countType");
        if (ofType(countType, "string", i, found)) {
            var type = CountType.fromPolicyName(countType.textValue());
            boolean hasUnit = s.has("countUnit");
            if (type.isEmpty() || type.get().takesUnit() != hasUnit) {
                found.add(new Violation(ValidationCheck.S11, i, noSchemaMatched(SELECTION_BRANCHES)));
            }
        }
    }

    private static void action(JsonNode a, int i, List<Violation> found) {
        members(a, i, ACTION_MEMBERS, ACTION_REQUIRED, found);
        JsonNode type = a.get("type");
        oneOf(type, i, found, "expire", "transition");
        oneOf(a.get("targetStorageClass"), i, found, "archive");
        if (type != null && type.isTextual()) {
            ActionType.fromPolicyName(type.textValue()).ifPresent(t -> {
                if ((t == ActionType.TRANSITION) != a.has("targetStorageClass")) {
                    found.add(new Violation(ValidationCheck.S11, i, noSchemaMatched(ACTION_BRANCHES)));
                }
            });
        }
    }

    private static void members(JsonNode o, int i, Set<String> allowed, Set<String> required, List<Violation> found) {
        Set<String> absent = new TreeSet<>(required);
        Set<String> unknown = new TreeSet<>();
        o.fieldNames().forEachRemaining(name -> {
            absent.remove(name);
            if (!allowed.contains(name)) {
                unknown.add(name);
            }
        });
        if (!absent.isEmpty()) {
            found.add(new Violation(ValidationCheck.S6, i, missing(absent)));
        }
        if (!unknown.isEmpty()) {
            found.add(new Violation(ValidationCheck.S7, i,
                    "object instance has properties which are not allowed by the schema: (" + quoted(unknown) + ")"));
        }
    }

    /** Checks the JSON type of an optional member; true when it is present and of that type. */
    private static boolean ofType(JsonNode n, String type, int i, List<Violation> found) {
        if (n == null) {
            return false;
        }
        if (!jsonType(n).equals(type)) {
            found.add(new Violation(ValidationCheck.S8, i, typeMismatch(n, type)));
            return false;
        }
        return true;
    }

    private static void oneOf(JsonNode n, int i, List<Violation> found, String... values) {
        if (ofType(n, "string", i, found) && !Arrays.asList(values).contains(n.textValue())) {
            found.add(new Violation(ValidationCheck.S9, i, "instance value (" + quote(n.textValue())
                    + ") not found in enum (possible values: " + quoted(Arrays.asList(values)) + ")"));
        }
    }

    private static void stringList(JsonNode n, int i, List<Violation> found) {
        if (ofType(n, "array", i, found)) {
            for (JsonNode element : n) {
                ofType(element, "string", i, found);
            }
        }
    }

    private static void positiveInt(JsonNode n, int i, List<Violation> found) {
        if (!ofType(n, "integer", i, found)) {
            return;
        }
        if (n.bigIntegerValue().signum() <= 0) {
            found.add(new Violation(ValidationCheck.S10, i,
                    "numeric instance is lower than the required minimum (minimum: 1, found: " + n.bigIntegerValue() + ")"));
        } else if (!n.canConvertToInt()) {
            found.add(new Violation(ValidationCheck.MAPPING, i, NOT_MAPPABLE));
        }
    }

    private static RuleDraft draft(JsonNode rule, int i) {
        JsonNode s = rule.get("selection");
        JsonNode a = rule.get("action");
        JsonNode description = rule.get("description");
        JsonNode storageClass = s.get("storageClass");
        return new RuleDraft(i,
                rule.get("rulePriority").intValue(),
                description == null ? null : description.textValue(),
                TagStatus.fromPolicyName(s.get("tagStatus").textValue()).orElseThrow(),
                strings(s.get("tagPrefixList")),
                strings(s.get("tagPatternList")),
                storageClass == null ? StorageClass.STANDARD
                        : StorageClass.fromPolicyName(storageClass.textValue()).orElseThrow(),
                CountType.fromPolicyName(s.get("countType").textValue()).orElseThrow(),
                s.get("countNumber").intValue(),
                ActionType.fromPolicyName(a.get("type").textValue()).orElseThrow() == ActionType.EXPIRE
                        ? RuleAction.EXPIRE : RuleAction.TRANSITION_TO_ARCHIVE);
    }

    private static List<String> strings(JsonNode array) {
        if (array == null) {
            return null;
        }
        List<String> out = new ArrayList<>(array.size());
        array.forEach(e -> out.add(e.textValue()));
        return List.copyOf(out);
    }

    private static String missing(Set<String> names) {
        return "object has missing required properties (" + quoted(new TreeSet<>(names)) + ")";
    }

    private static String noSchemaMatched(int branches) {
        return "instance failed to match exactly one schema (matched 0 out of " + branches + ")";
    }

    static String typeMismatch(JsonNode n, String allowed) {
        return "instance type (" + jsonType(n) + ") does not match any allowed primitive type (allowed: [\""
                + allowed + "\"])";
    }

    /** {@code ["a","b"]}: JSON strings in brackets, comma-separated, as the library prints name lists. */
    private static String quoted(java.util.Collection<String> names) {
        return names.stream().map(PolicySchema::quote).collect(Collectors.joining(",", "[", "]"));
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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
}
