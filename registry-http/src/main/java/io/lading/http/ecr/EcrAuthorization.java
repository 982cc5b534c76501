package io.lading.http.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.auth.policy.EcrAction;
import io.lading.auth.policy.RegistryApiActions;
import io.lading.http.authz.Authorizer;
import io.lading.http.authz.Caller;
import io.lading.http.authz.RequestKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Authorizes one ECR API call before its handler runs (spec iam-policy.md §10, §11, §13), so that a
 * denied caller learns nothing about whether the repository exists. The actions are those of
 * {@link RegistryApiActions#forOperation}; the resource is the repository named by {@code repositoryName}
 * (or {@code resourceArn} for the tagging operations), each name of {@code repositoryNames} for
 * {@code DescribeRepositories} and {@code BatchGetRepositoryScanningConfiguration}, and {@code *} for
 * registry-level operations. The input is read leniently: malformed members are left for the handler's
 * validation. Stateless apart from the authorizer; thread-safe.
 */
final class EcrAuthorization {

    private static final java.util.regex.Pattern REPOSITORY_ARN =
            java.util.regex.Pattern.compile("arn:[a-z-]+:ecr:[a-z0-9-]+:[0-9]{12}:repository/[^:]{2,256}");

    private final Authorizer authorizer;

    EcrAuthorization(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** @throws io.lading.core.error.RegistryException.AccessDenied on the first denied requirement */
    void authorize(EcrOperation operation, Caller caller, ObjectNode input) {
        String op = operation.name();
        RequestKeys keys = keys(op, input);
        List<EcrAction> actions;
        try {
            actions = RegistryApiActions.forOperation(op, !keys.requestTags().isEmpty());
        } catch (IllegalArgumentException e) {
            // not in the action catalogue: check the action of the same name on the registry
            authorizer.require(caller, "ecr:" + op, "*", keys);
            return;
        }
        String account = registryAccount(input);
        if (op.equals("DescribeRepositories") && !input.path("repositoryNames").isArray()) {
            // listing: the handler returns only the repositories the caller may describe (spec §13)
            return;
        }
        for (String resource : resources(op, input, account)) {
            for (EcrAction action : actions) {
                authorizer.require(caller, action.actionName(), action.resourceFor(resource), keys);
            }
        }
    }

    /** The registry the input names (a well-formed {@code registryId}), else this registry. */
    private String registryAccount(ObjectNode input) {
        JsonNode id = input.get("registryId");
        if (id != null && id.isTextual() && id.asText().matches("[0-9]{12}")) {
            return id.asText();
        }
        return authorizer.registryAccount();
    }

    private List<String> resources(String op, ObjectNode input, String account) {
        JsonNode name = input.get("repositoryName");
        if (name != null && name.isTextual()) {
            return List.of(authorizer.repositoryArn(account, name.asText()));
        }
        if (op.equals("TagResource") || op.equals("UntagResource") || op.equals("ListTagsForResource")) {
            JsonNode arn = input.get("resourceArn");
            // a malformed ARN is checked on "*" and then refused by the handler's validation
            return List.of(arn != null && arn.isTextual() && REPOSITORY_ARN.matcher(arn.asText()).matches()
                    ? arn.asText() : "*");
        }
        JsonNode names = input.get("repositoryNames");
        if ((op.equals("DescribeRepositories") || op.equals("BatchGetRepositoryScanningConfiguration"))
                && names != null && names.isArray() && !names.isEmpty()) {
            List<String> out = new ArrayList<>();
            names.forEach(n -> out.add(authorizer.repositoryArn(account, n.asText())));
            return out;
        }
        return List.of("*");
    }

    private static RequestKeys keys(String op, ObjectNode input) {
        switch (op) {
            case "CreateRepository", "TagResource" -> {
                Map<String, String> tags = new LinkedHashMap<>();
                JsonNode list = input.get("tags");
                if (list != null && list.isArray()) {
                    for (JsonNode t : list) {
                        if (t.path("Key").isTextual()) {
                            tags.put(t.path("Key").asText(), t.path("Value").asText(""));
                        }
                    }
                }
                if (tags.isEmpty() && op.equals("CreateRepository")) {
                    return RequestKeys.NONE;
                }
                return new RequestKeys(tags, List.copyOf(tags.keySet()), op.equals("CreateRepository"), Map.of());
            }
            case "UntagResource" -> {
                List<String> keys = new ArrayList<>();
                JsonNode list = input.get("tagKeys");
                if (list != null && list.isArray()) {
                    list.forEach(k -> keys.add(k.asText()));
                }
                return new RequestKeys(Map.of(), keys, false, Map.of());
            }
            case "GetAccountSetting", "PutAccountSetting" -> {
                JsonNode name = input.get("name");
                return name != null && name.isTextual()
                        ? new RequestKeys(Map.of(), null, false, Map.of("ecr:AccountSetting", name.asText()))
                        : RequestKeys.NONE;
            }
            default -> {
                return RequestKeys.NONE;
            }
        }
    }
}
