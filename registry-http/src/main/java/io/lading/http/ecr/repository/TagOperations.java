package io.lading.http.ecr.repository;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryService;
import io.lading.http.ecr.EcrCall;
import io.lading.http.ecr.EcrErrorType;
import io.lading.http.ecr.EcrException;
import io.lading.http.ecr.EcrInput;
import io.lading.http.ecr.EcrJson;
import io.lading.http.ecr.EcrOperation;
import io.lading.http.ecr.EcrOperations;
import io.lading.http.ecr.RegistryIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource tags on repositories: TagResource, UntagResource, ListTagsForResource. The resource is named
 * by its ARN, which must be exactly {@code arn:<partition>:ecr:<region>:<12 digits>:repository/<name>}
 * with this server's partition and region (ecr-behaviour.md 1.3).
 */
public final class TagOperations {

    private static final Pattern ARN = Pattern.compile("arn:([^:]+):ecr:([^:]+):([0-9]{12}):repository/(.+)");

    private final RepositoryService repositories;

    public TagOperations(RepositoryService repositories) {
        this.repositories = repositories;
    }

    public void register(EcrOperations table) {
        table.register(EcrOperation.TagResource, this::tagResource)
                .register(EcrOperation.UntagResource, this::untagResource)
                .register(EcrOperation.ListTagsForResource, this::listTags);
    }

    private ObjectNode tagResource(EcrCall call) {
        RepositoryName name = repository(call);
        List<EcrInput> tagInputs = call.input().objects("tags", 0, Integer.MAX_VALUE);
        if (tagInputs == null) {
            throw EcrInput.notNull("tags");
        }
        Map<String, String> tags = ResourceTags.parse(tagInputs);
        ResourceTags.checkCount(tags.size());
        repositories.update(name, rec -> {
            Map<String, String> merged = new LinkedHashMap<>(rec.resourceTags());
            merged.putAll(tags);
            ResourceTags.checkCount(merged.size());
            return rec.withResourceTags(merged);
        });
        return EcrJson.object();
    }

    private ObjectNode untagResource(EcrCall call) {
        RepositoryName name = repository(call);
        List<String> keys = call.input().strings("tagKeys", 0, Integer.MAX_VALUE);
        if (keys == null) {
            throw EcrInput.notNull("tagKeys");
        }
        for (String key : keys) {
            if (key.isEmpty() || key.length() > 128) {
                throw EcrErrorType.INVALID_TAG_PARAMETER.error("Tag keys must be 1 to 128 characters long");
            }
        }
        repositories.update(name, rec -> {
            Map<String, String> remaining = new LinkedHashMap<>(rec.resourceTags());
            keys.forEach(remaining::remove);
            return rec.withResourceTags(remaining);
        });
        return EcrJson.object();
    }

    private ObjectNode listTags(EcrCall call) {
        RepositoryName name = repository(call);
        ObjectNode out = EcrJson.object();
        ArrayNode tags = out.putArray("tags");
        repositories.get(name).record().resourceTags()
                .forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
        return out;
    }

    /**
     * The repository {@code resourceArn} names. A malformed ARN, or one of another partition or region,
     * is an invalid parameter; an ARN of another account is refused like any cross-account call
     * (EcrCall.registryId); whether the repository exists is for the caller to find out.
     */
    private static RepositoryName repository(EcrCall call) {
        String arn = call.input().requiredString("resourceArn");
        Matcher m = ARN.matcher(arn);
        RegistryIdentity id = call.identity();
        if (!m.matches() || !m.group(1).equals(id.partition()) || !m.group(2).equals(id.region())
                || !validName(m.group(4))) {
            throw invalidArn();
        }
        String account = m.group(3);
        if (!account.equals(id.account())) {
            throw EcrErrorType.ACCESS_DENIED.error("User: " + call.principal().arn() + " is not authorized to perform: ecr:"
                    + call.operation() + " on resource: " + arn + " because no resource-based policy allows the ecr:"
                    + call.operation() + " action");
        }
        return RepositoryName.of(m.group(4));
    }

    private static boolean validName(String name) {
        return name.length() >= 2 && name.length() <= 256 && name.matches(RepositoryName.PATTERN_TEXT);
    }

    private static EcrException invalidArn() {
        return EcrErrorType.INVALID_PARAMETER.error(
                "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'");
    }
}
