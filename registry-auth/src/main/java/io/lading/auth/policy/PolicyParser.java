package io.lading.auth.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lading.auth.policy.PolicyKind.Violation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * JSON text to {@link PolicyDocument}: the grammar of spec §2 and the kind-specific element rules
 * of §2 / §15. Duplicate keys, trailing content, unknown elements, empty lists and wrong value
 * types are rejected. Stateless and thread-safe.
 */
final class PolicyParser {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final Set<String> DOCUMENT_KEYS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_KEYS = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action",
            "NotAction", "Resource", "NotResource", "Condition");
    /** {@code *} or {@code <vendor>:<name>}; the name may use {@code *} and {@code ?}. */
    static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9_*?-]+");
    private static final Pattern IAM_SID = Pattern.compile("[A-Za-z0-9]*");

    /** A violation on its way to becoming a {@link PolicyInvalid} of the document's kind. */
    static final class Invalid extends Exception {
        final Violation violation;

        Invalid(Violation violation, String detail) {
            super(detail, null, false, false);
            this.violation = violation;
        }
    }

    private PolicyParser() {
    }

    static PolicyDocument parse(String text, PolicyKind kind) {
        if (text == null) {
            throw kind.malformed(Violation.SYNTAX, "no policy text");
        }
        int length = kind == PolicyKind.IDENTITY ? nonWhitespace(text) : text.codePointCount(0, text.length());
        int max = kind == PolicyKind.IDENTITY ? PolicyKind.MAX_IDENTITY_POLICY_SIZE : PolicyKind.MAX_RESOURCE_POLICY_LENGTH;
        if (length > max) {
            throw kind.tooLong(length);
        }
        try {
            return document(text, kind);
        } catch (Invalid e) {
            throw kind.malformed(e.violation, e.getMessage());
        }
    }

    private static PolicyDocument document(String text, PolicyKind kind) throws Invalid {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new Invalid(Violation.SYNTAX, "not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new Invalid(Violation.SYNTAX, "policy is not a JSON object");
        }
        requireKnownKeys(root, DOCUMENT_KEYS, "policy");
        String version = optionalText(root, "Version");
        if (version != null && !version.equals(PolicyDocument.VERSION_2012) && !version.equals(PolicyDocument.VERSION_2008)) {
            throw new Invalid(Violation.SYNTAX, "unsupported Version " + version);
        }
        String id = optionalText(root, "Id");
        if (id != null && kind == PolicyKind.IDENTITY) {
            throw new Invalid(Violation.SYNTAX, "Id is not allowed in identity policies");
        }
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null) {
            throw new Invalid(Violation.SYNTAX, "no Statement");
        }
        List<JsonNode> nodes = new ArrayList<>();
        if (statementNode.isArray()) {
            statementNode.forEach(nodes::add);
        } else {
            nodes.add(statementNode);
        }
        if (nodes.isEmpty()) {
            throw new Invalid(Violation.SYNTAX, "empty Statement list");
        }
        boolean variables = PolicyDocument.VERSION_2012.equals(version);
        List<Statement> statements = new ArrayList<>();
        for (JsonNode node : nodes) {
            statements.add(statement(node, kind, variables));
        }
        return new PolicyDocument(text, kind, version, id, statements);
    }

    private static Statement statement(JsonNode node, PolicyKind kind, boolean variables) throws Invalid {
        if (!node.isObject()) {
            throw new Invalid(Violation.SYNTAX, "statement is not an object");
        }
        requireKnownKeys(node, STATEMENT_KEYS, "statement");
        String sid = optionalText(node, "Sid");
        if (sid != null && kind == PolicyKind.IDENTITY && !IAM_SID.matcher(sid).matches()) {
            throw new Invalid(Violation.SYNTAX, "Sid must be alphanumeric: " + sid);
        }
        String effect = optionalText(node, "Effect");
        if (effect == null) {
            throw new Invalid(Violation.SYNTAX, "statement lacks Effect");
        }
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new Invalid(Violation.SYNTAX, "Effect must be Allow or Deny: " + effect);
        }
        boolean allow = effect.equals("Allow");
        PrincipalPattern principal = principal(node, kind, allow);
        String actionKey = exactlyOne(node, "Action", "NotAction", Violation.NO_ACTION);
        List<String> actions = stringList(node.get(actionKey), actionKey);
        for (String action : actions) {
            if (!ACTION.matcher(action).matches()) {
                throw new Invalid(Violation.BAD_ACTION, "invalid action " + action);
            }
        }
        String resourceKey = null;
        List<Template> resources = null;
        if (kind == PolicyKind.REPOSITORY) {
            if (node.has("Resource") || node.has("NotResource")) {
                throw new Invalid(Violation.SYNTAX, "Resource is not allowed in repository policies");
            }
        } else {
            resourceKey = exactlyOne(node, "Resource", "NotResource", Violation.NO_RESOURCE);
            resources = new ArrayList<>();
            for (String resource : stringList(node.get(resourceKey), resourceKey)) {
                resources.add(resource(resource, variables));
            }
        }
        List<Condition> conditions = ConditionParser.parse(node.get("Condition"), variables);
        return new Statement(sid, allow, actions, actionKey.equals("NotAction"), resources,
                "NotResource".equals(resourceKey), principal, conditions);
    }

    private static PrincipalPattern principal(JsonNode node, PolicyKind kind, boolean allow) throws Invalid {
        boolean has = node.has("Principal");
        boolean hasNot = node.has("NotPrincipal");
        if (kind == PolicyKind.IDENTITY) {
            if (has || hasNot) {
                throw new Invalid(Violation.HAS_PRINCIPAL, "identity policies cannot name a principal");
            }
            return null;
        }
        String key = exactlyOne(node, "Principal", "NotPrincipal", Violation.SYNTAX);
        if (hasNot && allow) {
            throw new Invalid(Violation.SYNTAX, "NotPrincipal with Allow");
        }
        JsonNode value = node.get(key);
        if (value.isTextual()) {
            if (!value.textValue().equals("*")) {
                throw new Invalid(Violation.SYNTAX, key + " string must be \"*\"");
            }
            return PrincipalPattern.wildcard(hasNot);
        }
        if (!value.isObject() || value.isEmpty()) {
            throw new Invalid(Violation.SYNTAX, key + " must be \"*\" or a non-empty object");
        }
        Map<String, List<String>> byType = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            byType.put(field.getKey(), stringList(field.getValue(), key));
        }
        try {
            return PrincipalPattern.of(byType, hasNot);
        } catch (IllegalArgumentException e) {
            throw new Invalid(Violation.SYNTAX, e.getMessage());
        }
    }

    /** {@code *}, or an ARN with six fields and non-empty partition and service. */
    static Template resource(String resource, boolean variables) throws Invalid {
        if (resource.equals("*")) {
            return Template.of(resource, false);
        }
        String[] fields = resource.split(":", 6);
        if (fields.length < 6 || !fields[0].equals("arn") || fields[1].isEmpty() || fields[2].isEmpty()) {
            throw new Invalid(Violation.BAD_RESOURCE, "resource must be \"*\" or an ARN: " + resource);
        }
        int afterFifthColon = resource.length() - fields[5].length();
        return Template.of(resource, variables, afterFifthColon);
    }

    private static String exactlyOne(JsonNode node, String key, String notKey, Violation missing) throws Invalid {
        boolean has = node.has(key);
        boolean hasNot = node.has(notKey);
        if (has && hasNot) {
            throw new Invalid(Violation.SYNTAX, "both " + key + " and " + notKey);
        }
        if (!has && !hasNot) {
            throw new Invalid(missing, "statement lacks " + key + "/" + notKey);
        }
        return has ? key : notKey;
    }

    /** A string or a non-empty array of strings. */
    static List<String> stringList(JsonNode node, String element) throws Invalid {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.textValue());
        } else if (node.isArray() && !node.isEmpty()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw new Invalid(Violation.SYNTAX, element + " entries must be strings");
                }
                out.add(item.textValue());
            }
        } else {
            throw new Invalid(Violation.SYNTAX, element + " must be a string or a non-empty list of strings");
        }
        return out;
    }

    private static String optionalText(JsonNode node, String key) throws Invalid {
        JsonNode value = node.get(key);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new Invalid(Violation.SYNTAX, key + " must be a string");
        }
        return value.textValue();
    }

    private static void requireKnownKeys(JsonNode node, Set<String> allowed, String where) throws Invalid {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new Invalid(Violation.SYNTAX, "unknown " + where + " element " + name);
            }
        }
    }

    private static int nonWhitespace(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                count++;
            }
        }
        return count;
    }
}
