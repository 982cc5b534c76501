package io.lading.http.ecr.repository;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.repository.RepositoryState;
import io.lading.http.ecr.EcrJson;
import io.lading.http.ecr.RegistryIdentity;

/** The ECR {@code Repository} shape. */
public final class RepositoryJson {

    private RepositoryJson() {
    }

    public static ObjectNode of(RegistryIdentity identity, String registryId, RepositoryState repo) {
        RepositoryRecord r = repo.record();
        ObjectNode o = EcrJson.object();
        o.put("repositoryArn", identity.repositoryArn(registryId, repo.name()));
        o.put("registryId", registryId);
        o.put("repositoryName", repo.name().value());
        o.put("repositoryUri", identity.repositoryUri(repo.name()));
        o.put("createdAt", EcrJson.epochSeconds(r.createdAt()));
        o.put("imageTagMutability", r.tagMutability().mode());
        if (!r.tagMutability().filters().isEmpty()) {
            var filters = o.putArray("imageTagMutabilityExclusionFilters");
            r.tagMutability().filters().forEach(f -> filters.addObject().put("filterType", "WILDCARD").put("filter", f));
        }
        o.putObject("imageScanningConfiguration").put("scanOnPush", r.scanOnPush());
        ObjectNode enc = o.putObject("encryptionConfiguration");
        enc.put("encryptionType", r.encryptionType());
        if (r.kmsKey() != null) {
            enc.put("kmsKey", r.kmsKey());
        }
        return o;
    }
}
