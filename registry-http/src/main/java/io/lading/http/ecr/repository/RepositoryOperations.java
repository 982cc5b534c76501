package io.lading.http.ecr.repository;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.catalog.Page;
import io.lading.core.catalog.Pagination;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.repository.RepositoryService;
import io.lading.core.repository.RepositoryState;
import io.lading.core.repository.TagMutability;
import io.lading.http.ecr.EcrCall;
import io.lading.http.ecr.EcrErrorType;
import io.lading.http.ecr.EcrInput;
import io.lading.http.ecr.EcrJson;
import io.lading.http.ecr.EcrOperation;
import io.lading.http.ecr.EcrOperations;
import io.lading.http.ecr.NextTokens;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Repository operations: CreateRepository, DescribeRepositories, DeleteRepository,
 * PutImageTagMutability, PutImageScanningConfiguration, BatchGetRepositoryScanningConfiguration.
 */
public final class RepositoryOperations {

    private final io.lading.http.authz.Authorizer authorizer;
    private final RepositoryService repositories;
    private final RepositoryIndex index;
    private final NextTokens tokens;
    private final Clock clock;

    public RepositoryOperations(RepositoryService repositories, RepositoryIndex index, NextTokens tokens, Clock clock) {
        this(repositories, index, tokens, clock, null);
    }

    /**
     * @param authorizer filters {@code DescribeRepositories} without names to the repositories the caller
     *     may describe (iam-policy.md §13), or null to list all
     */
    public RepositoryOperations(RepositoryService repositories, RepositoryIndex index, NextTokens tokens, Clock clock,
            io.lading.http.authz.Authorizer authorizer) {
        this.authorizer = authorizer;
        this.repositories = repositories;
        this.index = index;
        this.tokens = tokens;
        this.clock = clock;
    }

    public void register(EcrOperations table) {
        table.register(EcrOperation.CreateRepository, this::createRepository)
                .register(EcrOperation.DescribeRepositories, this::describeRepositories)
                .register(EcrOperation.DeleteRepository, this::deleteRepository)
                .register(EcrOperation.PutImageTagMutability, this::putImageTagMutability)
                .register(EcrOperation.PutImageScanningConfiguration, this::putImageScanningConfiguration)
                .register(EcrOperation.BatchGetRepositoryScanningConfiguration, this::batchGetScanningConfiguration);
    }

    private ObjectNode createRepository(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        EcrInput in = call.input();
        TagMutability mutability = mutability(in);
        Map<String, String> tags = ResourceTags.parse(in.objects("tags", 0, 200));
        ResourceTags.checkCount(tags.size());
        EcrInput scanning = in.object("imageScanningConfiguration");
        boolean scanOnPush = scanning != null && Boolean.TRUE.equals(scanning.bool("scanOnPush"));
        EcrInput encryption = in.object("encryptionConfiguration");
        String encryptionType = "AES256";
        String kmsKey = null;
        if (encryption != null) {
            encryptionType = encryption.enumValue("encryptionType", List.of("AES256", "KMS", "KMS_DSSE"));
            if (encryptionType == null) {
                throw EcrInput.notNull("encryptionConfiguration.encryptionType");
            }
            kmsKey = encryption.string("kmsKey", 1, 2048, null, null);
            if (kmsKey != null && encryptionType.equals("AES256")) {
                throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'encryptionConfiguration' failed to "
                        + "satisfy constraint: 'kmsKey may only be given with KMS encryption'");
            }
        }
        RepositoryRecord record = new RepositoryRecord(clock.instant(), mutability, scanOnPush, encryptionType, kmsKey,
                tags, null, null);
        RepositoryState repo = repositories.create(name, record);
        ObjectNode out = EcrJson.object();
        out.set("repository", RepositoryJson.of(call.identity(), registryId, repo));
        return out;
    }

    private ObjectNode describeRepositories(EcrCall call) {
        String registryId = call.registryId();
        EcrInput in = call.input();
        List<String> names = in.strings("repositoryNames", 1, 100);
        Integer maxResults = in.intValue("maxResults", 1, 1000);
        String nextToken = in.string("nextToken");
        ObjectNode out = EcrJson.object();
        ArrayNode list = out.putArray("repositories");
        if (names != null) {
            if (maxResults != null || nextToken != null) {
                throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'repositoryNames' failed to satisfy "
                        + "constraint: 'cannot be combined with nextToken or maxResults'");
            }
            List<RepositoryState> found = new ArrayList<>();
            for (String n : names) {
                EcrInput.checkLength("repositoryNames", n, 2, 256);
                if (!n.matches(RepositoryName.PATTERN_TEXT)) {
                    throw EcrInput.regex("repositoryNames", RepositoryName.PATTERN_TEXT);
                }
                found.add(repositories.get(RepositoryName.of(n)));
            }
            found.forEach(r -> list.add(RepositoryJson.of(call.identity(), registryId, r)));
            return out;
        }
        String last = nextToken == null ? null : tokens.resume(EcrOperation.DescribeRepositories, registryId, nextToken);
        // without names: only the repositories the caller may describe are listed (empty if none)
        Page<String> page = Pagination.page(index::names, last, maxResults == null ? 100 : maxResults,
                authorizer == null ? null : authorizer.listable(call.caller()));
        for (String n : page.items()) {
            index.find(RepositoryName.of(n)).ifPresent(r -> list.add(RepositoryJson.of(call.identity(), registryId, r)));
        }
        if (page.hasMore()) {
            out.put("nextToken", tokens.issue(EcrOperation.DescribeRepositories, registryId, page.last()));
        }
        return out;
    }

    private ObjectNode deleteRepository(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        boolean force = Boolean.TRUE.equals(call.input().bool("force"));
        RepositoryState repo = repositories.delete(name, force);
        ObjectNode out = EcrJson.object();
        out.set("repository", RepositoryJson.of(call.identity(), registryId, repo));
        return out;
    }

    private ObjectNode putImageTagMutability(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        if (!call.input().has("imageTagMutability")) {
            throw EcrInput.notNull("imageTagMutability");
        }
        TagMutability mutability = mutability(call.input());
        RepositoryRecord r = repositories.update(name, rec -> rec.withTagMutability(mutability));
        ObjectNode out = EcrJson.object();
        out.put("registryId", registryId);
        out.put("repositoryName", name.value());
        out.put("imageTagMutability", r.tagMutability().mode());
        if (!r.tagMutability().filters().isEmpty()) {
            var filters = out.putArray("imageTagMutabilityExclusionFilters");
            r.tagMutability().filters().forEach(f -> filters.addObject().put("filterType", "WILDCARD").put("filter", f));
        }
        return out;
    }

    private ObjectNode putImageScanningConfiguration(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        EcrInput scanning = call.input().object("imageScanningConfiguration");
        if (scanning == null) {
            throw EcrInput.notNull("imageScanningConfiguration");
        }
        boolean scanOnPush = Boolean.TRUE.equals(scanning.bool("scanOnPush"));
        RepositoryRecord r = repositories.update(name, rec -> rec.withScanOnPush(scanOnPush));
        ObjectNode out = EcrJson.object();
        out.put("registryId", registryId);
        out.put("repositoryName", name.value());
        out.putObject("imageScanningConfiguration").put("scanOnPush", r.scanOnPush());
        return out;
    }

    private ObjectNode batchGetScanningConfiguration(EcrCall call) {
        String registryId = call.identity().account();
        List<String> names = call.input().strings("repositoryNames", 1, 25);
        if (names == null) {
            throw EcrInput.notNull("repositoryNames");
        }
        ObjectNode out = EcrJson.object();
        ArrayNode configs = out.putArray("scanningConfigurations");
        ArrayNode failures = out.putArray("failures");
        for (String n : names) {
            var repo = index.find(validName(n));
            if (repo.isEmpty()) {
                failures.addObject().put("repositoryName", n).put("failureCode", "REPOSITORY_NOT_FOUND")
                        .put("failureReason", "REPOSITORY_NOT_FOUND");
                continue;
            }
            ObjectNode c = configs.addObject();
            c.put("repositoryArn", call.identity().repositoryArn(registryId, repo.get().name()));
            c.put("repositoryName", n);
            c.put("scanOnPush", repo.get().record().scanOnPush());
            c.put("scanFrequency", repo.get().record().scanOnPush() ? "SCAN_ON_PUSH" : "MANUAL");
            c.putArray("appliedScanFilters");
        }
        return out;
    }

    private static RepositoryName validName(String n) {
        EcrInput.checkLength("repositoryNames", n, 2, 256);
        if (!n.matches(RepositoryName.PATTERN_TEXT)) {
            throw EcrInput.regex("repositoryNames", RepositoryName.PATTERN_TEXT);
        }
        return RepositoryName.of(n);
    }

    private static TagMutability mutability(EcrInput in) {
        String mode = in.enumValue("imageTagMutability", TagMutability.MODES);
        List<EcrInput> filterObjects = in.objects("imageTagMutabilityExclusionFilters", 1, 5);
        List<String> filters = new ArrayList<>();
        if (filterObjects != null) {
            for (EcrInput f : filterObjects) {
                String type = f.enumValue("filterType", List.of("WILDCARD"));
                if (type == null) {
                    throw EcrInput.notNull("imageTagMutabilityExclusionFilters.filterType");
                }
                filters.add(f.requiredString("filter"));
            }
        }
        String effective = mode == null ? "MUTABLE" : mode;
        String problem = TagMutability.problem(effective, filters);
        if (problem != null) {
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'imageTagMutability' failed to satisfy "
                    + "constraint: '" + problem + "'");
        }
        return new TagMutability(effective, filters);
    }
}
