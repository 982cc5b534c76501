package io.lading.auth.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.auth.policy.PolicyKind.Violation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Condition} element (spec §5): {@code {<operator>: {<key>: value | [value, ...]}}}.
 * Operator names are case-insensitive, may carry a {@code ForAllValues:} / {@code ForAnyValue:}
 * prefix and an {@code IfExists} suffix ({@code Null} takes neither). Values may be JSON strings,
 * numbers or booleans. Unknown operators and values that do not parse for their operator (dates,
 * numbers, CIDRs, base64, Null flags) are violations. Stateless and thread-safe.
 */
final class ConditionParser {

    private static final String FOR_ALL = "forallvalues:";
    private static final String FOR_ANY = "foranyvalue:";
    private static final String IF_EXISTS = "ifexists";

    private ConditionParser() {
    }

    static List<Condition> parse(JsonNode block, boolean variables) throws PolicyParser.Invalid {
        List<Condition> out = new ArrayList<>();
        if (block == null) {
            return out;
        }
        if (!block.isObject()) {
            throw new PolicyParser.Invalid(Violation.SYNTAX, "Condition must be an object");
        }
        Iterator<Map.Entry<String, JsonNode>> operators = block.fields();
        while (operators.hasNext()) {
            Map.Entry<String, JsonNode> entry = operators.next();
            if (!entry.getValue().isObject()) {
                throw new PolicyParser.Invalid(Violation.SYNTAX, "condition operator body must be an object");
            }
            operator(entry.getKey(), entry.getValue(), variables, out);
        }
        return out;
    }

    private static void operator(String name, JsonNode keys, boolean variables, List<Condition> out)
            throws PolicyParser.Invalid {
        String lower = name.toLowerCase(Locale.ROOT);
        Condition.SetQualifier qualifier = Condition.SetQualifier.NONE;
        if (lower.startsWith(FOR_ALL)) {
            qualifier = Condition.SetQualifier.FOR_ALL_VALUES;
            lower = lower.substring(FOR_ALL.length());
        } else if (lower.startsWith(FOR_ANY)) {
            qualifier = Condition.SetQualifier.FOR_ANY_VALUE;
            lower = lower.substring(FOR_ANY.length());
        }
        boolean ifExists = lower.endsWith(IF_EXISTS) && lower.length() > IF_EXISTS.length();
        if (ifExists) {
            lower = lower.substring(0, lower.length() - IF_EXISTS.length());
        }
        ConditionOperator op = ConditionOperator.byName(lower);
        if (op == null) {
            throw new PolicyParser.Invalid(Violation.SYNTAX, "unknown condition operator " + name);
        }
        if (op == ConditionOperator.NULL && (ifExists || qualifier != Condition.SetQualifier.NONE)) {
            throw new PolicyParser.Invalid(Violation.SYNTAX, "Null takes no qualifier: " + name);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = keys.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().isEmpty()) {
                throw new PolicyParser.Invalid(Violation.SYNTAX, "empty condition key");
            }
            List<String> raw = values(field.getValue());
            ConditionValues compiled;
            try {
                compiled = ConditionValues.compile(op, raw, variables && op.family().variables());
            } catch (IllegalArgumentException e) {
                throw new PolicyParser.Invalid(Violation.SYNTAX, e.getMessage());
            }
            out.add(new Condition(op, qualifier, ifExists, ContextKey.of(field.getKey()), compiled));
        }
    }

    private static List<String> values(JsonNode node) throws PolicyParser.Invalid {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            if (node.isEmpty()) {
                throw new PolicyParser.Invalid(Violation.SYNTAX, "empty condition value list");
            }
            for (JsonNode item : node) {
                out.add(scalar(item));
            }
        } else {
            out.add(scalar(node));
        }
        return out;
    }

    /** A JSON string, number or boolean in its string form (§2). */
    private static String scalar(JsonNode node) throws PolicyParser.Invalid {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isNumber()) {
            return node.decimalValue().toPlainString();
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "true" : "false";
        }
        throw new PolicyParser.Invalid(Violation.SYNTAX, "condition values must be strings, numbers or booleans");
    }
}
