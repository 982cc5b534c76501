package io.lading.http.ecr.lifecycle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryService;
import io.lading.core.repository.RepositoryState;
import io.lading.http.ecr.EcrCall;
import io.lading.http.ecr.EcrErrorType;
import io.lading.http.ecr.EcrInput;
import io.lading.http.ecr.EcrJson;
import io.lading.http.ecr.EcrOperation;
import io.lading.http.ecr.EcrOperations;
import io.lading.http.ecr.NextTokens;
import io.lading.http.ecr.policy.LifecyclePolicyCheck;
import io.lading.lifecycle.expire.LifecycleExpirer;
import io.lading.lifecycle.plan.PreviewResult;
import io.lading.lifecycle.policy.LifecyclePolicy;
import io.lading.lifecycle.policy.TagStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * StartLifecyclePolicyPreview and GetLifecyclePolicyPreview (lifecycle-policy.md 3.4, 3.5, 9). A preview
 * is computed at once, by the same planner the expirer uses on the same kind of snapshot, so the preview
 * shows exactly what the expirer would do; it is kept in memory per repository for 24 hours and never
 * changes images, tags or the stored policy.
 */
public final class LifecyclePreviewOperations {

    private static final Duration KEEP = Duration.ofHours(24);
    private static final List<String> TAG_STATUSES = List.of("TAGGED", "UNTAGGED", "ANY");

    private final RepositoryService repositories;
    private final NextTokens tokens;
    private final Clock clock;
    private final ConcurrentHashMap<String, Preview> previews = new ConcurrentHashMap<>();

    /** A completed preview; keyed by repository name and creation time, so a re-created repository starts clean. */
    private record Preview(String text, PreviewResult result, Instant at) {
    }

    public LifecyclePreviewOperations(RepositoryService repositories, NextTokens tokens, Clock clock) {
        this.repositories = repositories;
        this.tokens = tokens;
        this.clock = clock;
    }

    public void register(EcrOperations table) {
        table.register(EcrOperation.StartLifecyclePolicyPreview, this::start)
                .register(EcrOperation.GetLifecyclePolicyPreview, this::get);
    }

    private static String key(RepositoryState repo) {
        return repo.name() + "@" + repo.createdAt().toEpochMilli();
    }

    private ObjectNode start(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        RepositoryState repo = repositories.get(name);
        String text = call.input().string("lifecyclePolicyText");
        if (text == null) {
            text = repo.record().lifecyclePolicy();
            if (text == null) {
                throw EcrErrorType.LIFECYCLE_POLICY_NOT_FOUND.error("Lifecycle policy does not exist for the repository "
                        + "with name '" + name + "' in the registry with id '" + registryId + "'");
            }
        }
        LifecyclePolicy policy = LifecyclePolicyCheck.check(text);
        Instant now = clock.instant();
        PreviewResult result = PreviewResult.of(LifecycleExpirer.plan(repo, policy, now));
        previews.put(key(repo), new Preview(text, result, now));
        ObjectNode out = EcrJson.object();
        out.put("registryId", registryId);
        out.put("repositoryName", name.value());
        out.put("lifecyclePolicyText", text);
        out.put("status", "COMPLETE");
        return out;
    }

    private ObjectNode get(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        RepositoryState repo = repositories.get(name);
        EcrInput in = call.input();
        List<EcrInput> imageIds = in.objects("imageIds", 1, 100);
        Integer maxResults = in.intValue("maxResults", 1, 100);
        String nextToken = in.string("nextToken");
        if (imageIds != null && (maxResults != null || nextToken != null)) {
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'imageIds' failed to satisfy constraint: "
                    + "'cannot be combined with nextToken or maxResults'");
        }
        EcrInput filter = in.object("filter");
        String tagStatus = filter == null ? null : filter.enumValue("tagStatus", TAG_STATUSES);
        Preview preview = previews.get(key(repo));
        if (preview == null) {
            throw EcrErrorType.LIFECYCLE_POLICY_PREVIEW_NOT_FOUND.error("There is no dry run for this repository.");
        }
        ObjectNode out = EcrJson.object();
        out.put("registryId", registryId);
        out.put("repositoryName", name.value());
        out.put("lifecyclePolicyText", preview.text());
        if (preview.at().plus(KEEP).isBefore(clock.instant())) {
            out.put("status", "EXPIRED");
            out.putArray("previewResults");
            return out;
        }
        out.put("status", "COMPLETE");
        List<PreviewResult.Entry> entries = tagStatus == null ? preview.result().previewResults()
                : preview.result().entries(TagStatus.fromApiName(tagStatus).orElseThrow());
        if (imageIds != null) {
            entries = select(entries, imageIds);
        }
        String scope = registryId + "|" + name + "|" + tagStatus + "|" + preview.at().toEpochMilli();
        int from = nextToken == null ? 0 : parseIndex(tokens.resume(EcrOperation.GetLifecyclePolicyPreview, scope, nextToken));
        int size = maxResults == null ? 100 : maxResults;
        int to = Math.min(entries.size(), from + size);
        ArrayNode results = out.putArray("previewResults");
        for (PreviewResult.Entry e : entries.subList(Math.min(from, entries.size()), to)) {
            results.add(EcrJson.MAPPER.valueToTree(e));
        }
        if (imageIds == null && to < entries.size()) {
            out.put("nextToken", tokens.issue(EcrOperation.GetLifecyclePolicyPreview, scope, Integer.toString(to)));
        }
        out.set("summary", EcrJson.MAPPER.valueToTree(preview.result().summary()));
        return out;
    }

    private static List<PreviewResult.Entry> select(List<PreviewResult.Entry> entries, List<EcrInput> imageIds) {
        List<PreviewResult.Entry> out = new ArrayList<>();
        for (PreviewResult.Entry e : entries) {
            for (EcrInput id : imageIds) {
                String digest = id.string("imageDigest");
                String tag = id.string("imageTag");
                if ((digest != null && digest.equals(e.imageDigest())) || (tag != null && e.imageTags().contains(tag))) {
                    out.add(e);
                    break;
                }
            }
        }
        return out;
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'nextToken'");
        }
    }
}
