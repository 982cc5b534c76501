package io.lading.http.ecr.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryService;
import io.lading.core.repository.RepositoryState;
import io.lading.core.spi.LifecyclePreviewStore;
import io.lading.core.spi.LifecyclePreviewStore.Header;
import io.lading.http.ecr.EcrCall;
import io.lading.http.ecr.EcrErrorType;
import io.lading.http.ecr.EcrInput;
import io.lading.http.ecr.EcrJson;
import io.lading.http.ecr.EcrOperation;
import io.lading.http.ecr.EcrOperations;
import io.lading.http.ecr.NextTokens;
import io.lading.http.ecr.policy.LifecyclePolicyCheck;
import io.lading.lifecycle.expire.LifecyclePlanning;

import io.lading.lifecycle.plan.PlannedAction;
import io.lading.lifecycle.plan.PreviewResult;
import io.lading.lifecycle.policy.LifecyclePolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * StartLifecyclePolicyPreview and GetLifecyclePolicyPreview (lifecycle-policy.md 3.4, 3.5, 9). A preview
 * is computed at once, by the same evaluation the expirer uses (sharing its permits: a node runs a bounded
 * number at a time, see {@link LifecyclePlanning}), so the preview shows exactly what the expirer would do;
 * its entries pass through a file ({@link PreviewSpill}), not the heap. It is kept in the metadata database ({@link LifecyclePreviewStore}),
 * so any node answers for it and no heap holds it; it reads as {@code EXPIRED} after 24 hours and never
 * changes images, tags or the stored policy. GetLifecyclePolicyPreview reads one page of it at a time.
 */
public final class LifecyclePreviewOperations {

    private static final Duration KEEP = Duration.ofHours(24);
    /** How long a start waits for a planning permit before it answers that a preview is in progress. */
    private static final Duration PERMIT_WAIT = Duration.ofSeconds(1);
    /** Entries read per step when GetLifecyclePolicyPreview selects by image id. */
    private static final int SCAN_CHUNK = 1000;
    private static final List<String> TAG_STATUSES = List.of("TAGGED", "UNTAGGED", "ANY");

    private final RepositoryService repositories;
    private final LifecyclePreviewStore store;
    private final LifecyclePlanning planning;
    private final NextTokens tokens;
    private final Clock clock;
    private final Supplier<Path> spillFiles;

    /** @param spillFiles fresh paths for the files a preview's entries pass through while it is computed */
    public LifecyclePreviewOperations(RepositoryService repositories, LifecyclePreviewStore store, LifecyclePlanning planning,
            NextTokens tokens, Clock clock, Supplier<Path> spillFiles) {
        this.repositories = repositories;
        this.store = store;
        this.planning = planning;
        this.tokens = tokens;
        this.clock = clock;
        this.spillFiles = spillFiles;
    }

    public void register(EcrOperations table) {
        table.register(EcrOperation.StartLifecyclePolicyPreview, this::start)
                .register(EcrOperation.GetLifecyclePolicyPreview, this::get);
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
        // the entries go to a file as they are decided, newest image first, and from it to the store in
        // listing order: the preview of a repository of any size holds one entry in memory at a time
        try (PreviewSpill spill = new PreviewSpill(spillFiles.get())) {
            PreviewResult.Summary summary;
            try {
                summary = planning.tryEvaluate(repo, policy, now, PERMIT_WAIT, a ->
                        spill.add(entryOf(a), a.image().pushedAt())).orElseThrow(() -> inProgress());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw inProgress();
            }
            if (!store.replace(repo.id(), new Header(text, now, json(summary), spill.count()), spill.inListingOrder())) {
                repositories.get(name); // deleted meanwhile: its RepositoryNotFoundException
            }
        }
        ObjectNode out = EcrJson.object();
        out.put("registryId", registryId);
        out.put("repositoryName", name.value());
        out.put("lifecyclePolicyText", text);
        out.put("status", "COMPLETE");
        return out;
    }

    private static RuntimeException inProgress() {
        return EcrErrorType.LIFECYCLE_POLICY_PREVIEW_IN_PROGRESS.error("The previous lifecycle policy preview request "
                + "has not completed. Please try again later.");
    }

    private static LifecyclePreviewStore.Entry entryOf(PlannedAction a) {
        PreviewResult.Entry e = PreviewResult.Entry.of(a);
        return new LifecyclePreviewStore.Entry(e.imageDigest(), !e.imageTags().isEmpty(), json(e));
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
        Boolean tagged = tagStatus == null || tagStatus.equals("ANY") ? null : tagStatus.equals("TAGGED");
        Header preview = store.header(repo.id()).orElseThrow(() ->
                EcrErrorType.LIFECYCLE_POLICY_PREVIEW_NOT_FOUND.error("There is no dry run for this repository."));
        ObjectNode out = EcrJson.object();
        out.put("registryId", registryId);
        out.put("repositoryName", name.value());
        out.put("lifecyclePolicyText", preview.policyText());
        if (preview.createdAt().plus(KEEP).isBefore(clock.instant())) {
            out.put("status", "EXPIRED");
            out.putArray("previewResults");
            return out;
        }
        out.put("status", "COMPLETE");
        ArrayNode results = out.putArray("previewResults");
        if (imageIds != null) {
            select(repo, tagged, imageIds).forEach(e -> results.addRawValue(new RawValue(e.json())));
        } else {
            String scope = registryId + "|" + name + "|" + tagStatus + "|" + preview.createdAt().toEpochMilli();
            int after = nextToken == null ? -1
                    : parseIndex(tokens.resume(EcrOperation.GetLifecyclePolicyPreview, scope, nextToken)) - 1;
            int size = maxResults == null ? 100 : maxResults;
            List<LifecyclePreviewStore.Numbered> page = store.entries(repo.id(), tagged, after, size + 1);
            page.stream().limit(size).forEach(n -> results.addRawValue(new RawValue(n.entry().json())));
            if (page.size() > size) {
                // the token names the position the next page starts at
                out.put("nextToken", tokens.issue(EcrOperation.GetLifecyclePolicyPreview, scope,
                        Integer.toString(page.get(size).position())));
            }
        }
        out.set("summary", readJson(preview.summary()));
        return out;
    }

    /** The entries (of the tag filter) of the images {@code imageIds} names by digest or by a tag, in order. */
    private List<LifecyclePreviewStore.Entry> select(RepositoryState repo, Boolean tagged, List<EcrInput> imageIds) {
        Set<String> digests = new HashSet<>();
        Set<String> tags = new HashSet<>();
        for (EcrInput id : imageIds) {
            String digest = id.string("imageDigest");
            String tag = id.string("imageTag");
            if (digest != null) {
                digests.add(digest);
            }
            if (tag != null) {
                tags.add(tag);
            }
        }
        List<LifecyclePreviewStore.Entry> out = new ArrayList<>();
        for (int after = -1; ; ) {
            List<LifecyclePreviewStore.Numbered> chunk = store.entries(repo.id(), tagged, after, SCAN_CHUNK);
            for (LifecyclePreviewStore.Numbered n : chunk) {
                LifecyclePreviewStore.Entry e = n.entry();
                if (digests.contains(e.imageDigest()) || (e.tagged() && !tags.isEmpty() && hasTagOf(e, tags))) {
                    out.add(e);
                }
            }
            if (chunk.size() < SCAN_CHUNK) {
                return out;
            }
            after = chunk.get(chunk.size() - 1).position();
        }
    }

    private static boolean hasTagOf(LifecyclePreviewStore.Entry e, Set<String> tags) {
        for (JsonNode t : readJson(e.json()).path("imageTags")) {
            if (tags.contains(t.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String json(Object value) {
        try {
            return EcrJson.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a preview part did not serialise", e);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return EcrJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored preview part is not JSON", e);
        }
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'nextToken'");
        }
    }
}
