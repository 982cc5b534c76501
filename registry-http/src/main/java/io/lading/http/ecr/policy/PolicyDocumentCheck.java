package io.lading.http.ecr.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Structural validation of repository and registry policy documents (iam-policy.md sections 2, 5.2 and
 * 15): the grammar, element rules and value syntax, never evaluation. Answers whether a text is a
 * well-formed policy of its kind; the caller turns "no" into ECR's error.
 *
 * <p>Kept as a stricter pre-check in front of the policy library's validation
 * ({@code RepositoryPolicyValidation}, {@code RegistryPolicyValidation}), which does the rest: principal
 * existence ({@code Principal not found}), the lock-out check of SetRepositoryPolicy and the registry
 * scope. It rejects a few shapes the library accepts (an empty condition block, a registry policy
 * resource {@code repository/} without a name), as the existing API tests require.
 */
public final class PolicyDocumentCheck {

    /** Which resource-based policy a document is. */
    public enum Kind { REPOSITORY, REGISTRY }

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action",
            "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9-]+:[A-Za-z0-9*?]+");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    private static final Pattern AWS_PRINCIPAL_ARN = Pattern.compile(
            "arn:[a-z0-9-]+:(iam::[0-9]{12}:(root|user/[\\w+=,.@/-]+|role/[\\w+=,.@/-]+)"
                    + "|sts::[0-9]{12}:assumed-role/[\\w+=,.@-]+/[\\w+=,.@-]+)");
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9.-]+");
    private static final List<String> OPERATORS = List.of("StringEquals", "StringNotEquals",
            "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
            "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
            "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
            "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
            "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null");

    private final Kind kind;
    private final String repositoryArnPrefix;

    /**
     * @param kind repository or registry policy
     * @param repositoryArnPrefix for registry policies, {@code arn:<partition>:ecr:<region>:<registryId>:repository/}:
     *        the only resources a registry policy may name besides {@code *}; ignored for repository policies
     */
    public PolicyDocumentCheck(Kind kind, String repositoryArnPrefix) {
        this.kind = kind;
        this.repositoryArnPrefix = repositoryArnPrefix;
    }

    /** Whether {@code text} is a well-formed policy document of this kind. */
    public boolean valid(String text) {
        JsonNode root;
        try {
            root = STRICT.readTree(text);
        } catch (IOException e) {
            return false;
        }
        return root != null && root.isObject() && document(root);
    }

    private boolean document(JsonNode root) {
        if (!onlyKeys(root, TOP_LEVEL)) {
            return false;
        }
        JsonNode version = root.get("Version");
        if (version != null && !(version.isTextual() && VERSIONS.contains(version.asText()))) {
            return false;
        }
        JsonNode id = root.get("Id");
        if (id != null && !id.isTextual()) {
            return false;
        }
        JsonNode statements = root.get("Statement");
        if (statements == null) {
            return false;
        }
        if (statements.isObject()) {
            return statement(statements);
        }
        if (!statements.isArray() || statements.isEmpty()) {
            return false;
        }
        for (JsonNode s : statements) {
            if (!s.isObject() || !statement(s)) {
                return false;
            }
        }
        return true;
    }

    private boolean statement(JsonNode s) {
        if (!onlyKeys(s, STATEMENT)) {
            return false;
        }
        JsonNode sid = s.get("Sid");
        if (sid != null && !sid.isTextual()) {
            return false;
        }
        JsonNode effect = s.get("Effect");
        if (effect == null || !effect.isTextual() || !(effect.asText().equals("Allow") || effect.asText().equals("Deny"))) {
            return false;
        }
        // exactly one of Principal / NotPrincipal; NotPrincipal only with Deny
        JsonNode principal = exactlyOne(s, "Principal", "NotPrincipal");
        if (principal == null || !principal(principal)) {
            return false;
        }
        if (s.has("NotPrincipal") && effect.asText().equals("Allow")) {
            return false;
        }
        JsonNode action = exactlyOne(s, "Action", "NotAction");
        if (action == null || !strings(action, PolicyDocumentCheck::action)) {
            return false;
        }
        boolean hasResource = s.has("Resource") || s.has("NotResource");
        if (kind == Kind.REPOSITORY) {
            if (hasResource) {
                return false;
            }
        } else {
            JsonNode resource = exactlyOne(s, "Resource", "NotResource");
            if (resource == null || !strings(resource, this::registryResource)) {
                return false;
            }
        }
        JsonNode condition = s.get("Condition");
        return condition == null || condition(condition);
    }

    private static JsonNode exactlyOne(JsonNode s, String a, String b) {
        JsonNode x = s.get(a);
        JsonNode y = s.get(b);
        if ((x == null) == (y == null)) {
            return null;
        }
        return x != null ? x : y;
    }

    private static boolean principal(JsonNode p) {
        if (p.isTextual()) {
            return p.asText().equals("*");
        }
        if (!p.isObject() || p.isEmpty()) {
            return false;
        }
        Iterator<String> types = p.fieldNames();
        while (types.hasNext()) {
            String type = types.next();
            if (!PRINCIPAL_TYPES.contains(type)) {
                return false;
            }
            boolean ok = switch (type) {
                case "AWS" -> strings(p.get(type), PolicyDocumentCheck::awsPrincipal);
                case "Service" -> strings(p.get(type), v -> SERVICE.matcher(v).matches());
                default -> strings(p.get(type), v -> !v.isEmpty() && !v.contains("*") && !v.contains("?"));
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code *}, an account id, or an IAM/STS ARN without partial wildcards. */
    private static boolean awsPrincipal(String v) {
        return v.equals("*") || ACCOUNT.matcher(v).matches() || AWS_PRINCIPAL_ARN.matcher(v).matches();
    }

    private static boolean action(String v) {
        return v.equals("*") || ACTION.matcher(v).matches();
    }

    private boolean registryResource(String v) {
        return v.equals("*") || (v.startsWith(repositoryArnPrefix) && v.length() > repositoryArnPrefix.length());
    }

    private static boolean condition(JsonNode c) {
        if (!c.isObject() || c.isEmpty()) {
            return false;
        }
        Iterator<String> names = c.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            String operator = operator(name);
            JsonNode keys = c.get(name);
            if (operator == null || !keys.isObject() || keys.isEmpty()) {
                return false;
            }
            Iterator<JsonNode> values = keys.elements();
            while (values.hasNext()) {
                List<String> list = scalars(values.next());
                if (list == null) {
                    return false;
                }
                for (String v : list) {
                    if (!conditionValue(operator, v)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The base operator of a condition block name (set prefix and IfExists removed), or null if unknown. */
    private static String operator(String name) {
        String n = name;
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.startsWith("forallvalues:")) {
            n = n.substring("forallvalues:".length());
        } else if (lower.startsWith("foranyvalue:")) {
            n = n.substring("foranyvalue:".length());
        }
        if (n.toLowerCase(Locale.ROOT).endsWith("ifexists")) {
            n = n.substring(0, n.length() - "ifexists".length());
        }
        for (String op : OPERATORS) {
            if (op.equalsIgnoreCase(n)) {
                return op;
            }
        }
        return null;
    }

    private static boolean conditionValue(String operator, String v) {
        if (operator.startsWith("Numeric")) {
            try {
                new BigDecimal(v.trim());
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (operator.startsWith("Date")) {
            return date(v);
        }
        if (operator.endsWith("IpAddress")) {
            return cidr(v);
        }
        return true;
    }

    private static boolean date(String v) {
        if (v.matches("-?[0-9]+")) {
            return true;
        }
        try {
            Instant.parse(v);
            return true;
        } catch (DateTimeParseException e) {
            // try the other ISO 8601 forms
        }
        try {
            OffsetDateTime.parse(v);
            return true;
        } catch (DateTimeParseException e) {
            // try a plain date
        }
        try {
            LocalDate.parse(v);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean cidr(String v) {
        String address = v;
        Integer prefix = null;
        int slash = v.indexOf('/');
        if (slash >= 0) {
            address = v.substring(0, slash);
            String bits = v.substring(slash + 1);
            if (!bits.matches("[0-9]{1,3}")) {
                return false;
            }
            prefix = Integer.parseInt(bits);
        }
        boolean v4 = address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = !v4 && address.contains(":") && address.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return false;
        }
        if (v4) {
            for (String octet : address.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
        } else {
            try {
                InetAddress.getByName("[" + address + "]"); // brackets: a literal only, never a name lookup
            } catch (IOException e) {
                return false;
            }
        }
        return prefix == null || prefix <= (v4 ? 32 : 128);
    }

    /** A JSON string or a non-empty list of strings whose every item satisfies {@code ok}. */
    private static boolean strings(JsonNode n, java.util.function.Predicate<String> ok) {
        if (n.isTextual()) {
            return ok.test(n.asText());
        }
        if (!n.isArray() || n.isEmpty()) {
            return false;
        }
        for (JsonNode item : n) {
            if (!item.isTextual() || !ok.test(item.asText())) {
                return false;
            }
        }
        return true;
    }

    /** A condition value: a scalar or a non-empty list of scalars, as strings; null if malformed. */
    private static List<String> scalars(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isValueNode() && !n.isNull()) {
            out.add(n.asText());
            return out;
        }
        if (!n.isArray() || n.isEmpty()) {
            return null;
        }
        for (JsonNode item : n) {
            if (!item.isValueNode() || item.isNull()) {
                return null;
            }
            out.add(item.asText());
        }
        return out;
    }

    private static boolean onlyKeys(JsonNode n, Set<String> allowed) {
        Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            if (!allowed.contains(names.next())) {
                return false;
            }
        }
        return true;
    }
}
