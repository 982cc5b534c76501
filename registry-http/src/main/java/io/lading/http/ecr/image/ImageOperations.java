package io.lading.http.ecr.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.catalog.Page;
import io.lading.core.catalog.Pagination;
import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException;
import io.lading.core.error.RegistryException.DigestInvalid;
import io.lading.core.error.RegistryException.ImageAlreadyExists;
import io.lading.core.error.RegistryException.ManifestBlobUnknown;
import io.lading.core.error.RegistryException.ManifestUnknown;
import io.lading.core.error.RegistryException.ParameterInvalid;
import io.lading.core.error.RegistryException.ReferencedByIndex;
import io.lading.core.image.ImageRecord;
import io.lading.core.image.ImageSummary;
import io.lading.core.manifest.ManifestContent;
import io.lading.core.manifest.ManifestService;
import io.lading.core.manifest.PushResult;
import io.lading.core.mediatype.MediaTypes;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryState;
import io.lading.core.tag.Reference;
import io.lading.core.tag.Tag;
import io.lading.http.ecr.EcrCall;
import io.lading.http.ecr.EcrErrorType;
import io.lading.http.ecr.EcrInput;
import io.lading.http.ecr.EcrJson;
import io.lading.http.ecr.EcrOperation;
import io.lading.http.ecr.EcrOperations;
import io.lading.http.ecr.NextTokens;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Image operations: ListImages, DescribeImages, BatchGetImage, BatchDeleteImage, PutImage
 * (ecr-api.md 4.2). They share the /v2 manifest service, so validation, immutability, negotiation and
 * pull times behave identically on both planes. Unlike /v2, the control API never creates a repository
 * on push.
 */
public final class ImageOperations {

    private static final List<String> TAG_STATUS = List.of("TAGGED", "UNTAGGED", "ANY");
    private static final List<String> IMAGE_STATUS = List.of("ACTIVE", "ARCHIVED", "ACTIVATING", "ANY");
    private static final int MAX_MANIFEST_CHARS = 4194304;

    private final ManifestService manifests;
    private final RepositoryIndex index;
    private final NextTokens tokens;

    public ImageOperations(ManifestService manifests, RepositoryIndex index, NextTokens tokens) {
        this.manifests = manifests;
        this.index = index;
        this.tokens = tokens;
    }

    public void register(EcrOperations table) {
        table.register(EcrOperation.ListImages, this::listImages)
                .register(EcrOperation.DescribeImages, this::describeImages)
                .register(EcrOperation.BatchGetImage, this::batchGetImage)
                .register(EcrOperation.BatchDeleteImage, this::batchDeleteImage)
                .register(EcrOperation.PutImage, this::putImage);
    }

    /** The validated filter: tag status and image status, defaults ANY and ACTIVE. */
    private record Filter(String tagStatus, String imageStatus) {

        static Filter of(EcrInput in) {
            EcrInput f = in.object("filter");
            if (f == null) {
                return new Filter("ANY", "ACTIVE");
            }
            String tagStatus = f.enumValue("tagStatus", TAG_STATUS);
            String imageStatus = f.enumValue("imageStatus", IMAGE_STATUS);
            return new Filter(tagStatus == null ? "ANY" : tagStatus, imageStatus == null ? "ACTIVE" : imageStatus);
        }

        /** Every stored image is ACTIVE (nothing is archived yet). */
        boolean statusMatches() {
            return imageStatus.equals("ACTIVE") || imageStatus.equals("ANY");
        }

        /** Whether the filter looks at tags at all (TAGGED or UNTAGGED); ANY does not. */
        boolean filtersTags() {
            return !tagStatus.equals("ANY");
        }

        boolean tagsMatch(boolean tagged) {
            return switch (tagStatus) {
                case "TAGGED" -> tagged;
                case "UNTAGGED" -> !tagged;
                default -> true;
            };
        }

        String scope(String registryId, RepositoryName name) {
            return registryId + "\n" + name.value() + "\n" + tagStatus + "\n" + imageStatus;
        }
    }

    /** DescribeImages keeps at most this many of the records it reads for a page (twice the largest page). */
    private static final int DETAILS_KEPT = 2000;

    /** Images read from the catalog per step of a listing. */
    private static final int IMAGE_CHUNK = 200;

    /**
     * ListImages' keys after {@code after}, in order, read a chunk of images at a time: "digest" for an
     * untagged image, "digest tag" for each tag of a tagged one (' ' sorts below every tag character, so
     * the key order is (digest, tag)). Returns at least {@code limit} keys unless the repository has no more.
     */
    private static List<String> imageKeys(RepositoryState repo, Filter filter, String after, int limit) {
        List<String> out = new ArrayList<>();
        Digest cursor = null;
        if (after != null) {
            int space = after.indexOf(' ');
            cursor = Digest.parse(space < 0 ? after : after.substring(0, space));
            if (space >= 0) {
                String lastTag = after.substring(space + 1);
                for (String t : repo.tagsOf(cursor)) {
                    if (t.compareTo(lastTag) > 0) {
                        out.add(cursor + " " + t);
                    }
                }
            }
        }
        while (out.size() < limit) {
            List<ImageSummary> page = repo.imageSummaries(cursor, IMAGE_CHUNK);
            Map<Digest, List<String>> tagsOfPage = repo.tagsOf(page.stream().map(ImageSummary::digest).toList());
            for (ImageSummary image : page) {
                List<String> t = tagsOfPage.getOrDefault(image.digest(), List.of());
                if (!filter.tagsMatch(!t.isEmpty())) {
                    continue;
                }
                if (t.isEmpty()) {
                    out.add(image.digest().toString());
                } else {
                    t.forEach(tag -> out.add(image.digest() + " " + tag));
                }
            }
            if (page.size() < IMAGE_CHUNK) {
                break;
            }
            cursor = page.get(page.size() - 1).digest();
        }
        return out;
    }

    private ObjectNode listImages(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        EcrInput in = call.input();
        Integer maxResults = in.intValue("maxResults", 1, 1000);
        String nextToken = in.string("nextToken");
        Filter filter = Filter.of(in);
        RepositoryState repo = index.require(name);
        String scope = filter.scope(registryId, name);
        String last = nextToken == null ? null : tokens.resume(EcrOperation.ListImages, scope, nextToken);

        int size = maxResults == null ? 100 : maxResults;
        Page<String> page = filter.statusMatches()
                ? Pagination.page((after, limit) -> imageKeys(repo, filter, after, limit), last, size, null)
                : new Page<>(List.of(), null);
        ObjectNode out = EcrJson.object();
        ArrayNode ids = out.putArray("imageIds");
        for (String key : page.items()) {
            int space = key.indexOf(' ');
            ids.add(space < 0 ? ImageIdJson.of(key, null) : ImageIdJson.of(key.substring(0, space), key.substring(space + 1)));
        }
        if (page.hasMore()) {
            out.put("nextToken", tokens.issue(EcrOperation.ListImages, scope, page.last()));
        }
        return out;
    }

    private ObjectNode describeImages(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        EcrInput in = call.input();
        List<EcrInput> idItems = in.objects("imageIds", 1, 100);
        Integer maxResults = in.intValue("maxResults", 1, 1000);
        String nextToken = in.string("nextToken");
        Filter filter = Filter.of(in);
        RepositoryState repo = index.require(name);
        ObjectNode out = EcrJson.object();
        ArrayNode details = out.putArray("imageDetails");

        if (idItems != null) {
            if (maxResults != null || nextToken != null) {
                throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'imageIds' failed to satisfy "
                        + "constraint: 'cannot be combined with nextToken or maxResults'");
            }
            Map<Digest, ImageRecord> found = new LinkedHashMap<>();
            for (ImageIdJson id : ImageIdJson.parse(idItems)) {
                ImageRecord record = resolveExplicit(repo, id, registryId);
                found.putIfAbsent(record.digest(), record);
            }
            found.values().forEach(r -> details.add(detail(registryId, name, ImageSummary.of(r), repo.tagsOf(r.digest()))));
            return out;
        }

        String scope = filter.scope(registryId, name);
        String last = nextToken == null ? null : tokens.resume(EcrOperation.DescribeImages, scope, nextToken);
        // summaries a chunk at a time from the catalog, the first DETAILS_KEPT of them kept for the details (a
        // filter that rejects many reads more; those are read again); the tag filter is applied as they are read
        Map<String, ImageSummary> read = new java.util.HashMap<>();
        Page<String> page = filter.statusMatches()
                ? Pagination.page((after, limit) -> repo.imageSummaries(after == null ? null : Digest.parse(after), limit)
                        .stream()
                        .peek(r -> {
                            if (read.size() < DETAILS_KEPT) {
                                read.put(r.digest().toString(), r);
                            }
                        })
                        .map(r -> r.digest().toString()).toList(), last, maxResults == null ? 100 : maxResults,
                        d -> !filter.filtersTags() || filter.tagsMatch(!repo.tagsOf(Digest.parse(d)).isEmpty()))
                : new Page<>(List.of(), null);
        List<Digest> digests = page.items().stream().map(Digest::parse).toList();
        Map<Digest, List<String>> tagsOfPage = repo.tagsOf(digests);
        for (Digest digest : digests) {
            ImageSummary summary = read.get(digest.toString());
            (summary != null ? Optional.of(summary) : repo.image(digest).map(ImageSummary::of))
                    .ifPresent(r -> details.add(detail(registryId, name, r, tagsOfPage.getOrDefault(digest, List.of()))));
        }
        if (page.hasMore()) {
            out.put("nextToken", tokens.issue(EcrOperation.DescribeImages, scope, page.last()));
        }
        return out;
    }

    /** An explicitly requested image; any identifier that does not resolve fails the whole call. */
    private static ImageRecord resolveExplicit(RepositoryState repo, ImageIdJson id, String registryId) {
        String problem = id.problem();
        if (problem != null) {
            String member = problem.equals(ImageIdJson.INVALID_IMAGE_TAG) ? "imageIds.imageTag" : "imageIds.imageDigest";
            throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at '" + member + "' failed to satisfy "
                    + "constraint: '" + ImageIdJson.reason(problem) + "'");
        }
        Digest digest = id.digest();
        if (id.tagText() != null) {
            Digest tagged = repo.tag(id.tagText()).orElse(null);
            if (tagged == null || (digest != null && !digest.equals(tagged))) {
                throw notFound(repo, id, registryId);
            }
            digest = tagged;
        }
        return repo.image(digest).orElseThrow(() -> notFound(repo, id, registryId));
    }

    private static RuntimeException notFound(RepositoryState repo, ImageIdJson id, String registryId) {
        return EcrErrorType.IMAGE_NOT_FOUND.error("The image with imageId {imageDigest:'" + id.digestText()
                + "', imageTag:'" + id.tagText() + "'} does not exist within the repository with name '"
                + repo.name().value() + "' in the registry with id '" + registryId + "'");
    }

    private static ObjectNode detail(String registryId, RepositoryName name, ImageSummary r, List<String> tags) {
        ObjectNode d = EcrJson.object();
        d.put("registryId", registryId);
        d.put("repositoryName", name.value());
        d.put("imageDigest", r.digest().toString());
        if (tags != null && !tags.isEmpty()) {
            ArrayNode t = d.putArray("imageTags");
            tags.forEach(t::add);
        }
        d.put("imageSizeInBytes", r.imageSize());
        d.put("imagePushedAt", EcrJson.epochSeconds(r.pushedAt()));
        d.put("imageManifestMediaType", r.mediaType());
        if (r.configMediaType() != null) {
            d.put("artifactMediaType", r.configMediaType());
        }
        if (r.lastPulledAt() != null) {
            d.put("lastRecordedPullTime", EcrJson.epochSeconds(r.lastPulledAt()));
        }
        if (r.subject() != null) {
            d.put("subjectManifestDigest", r.subject().toString());
        }
        d.put("imageStatus", "ACTIVE");
        return d;
    }

    private ObjectNode batchGetImage(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        EcrInput in = call.input();
        List<ImageIdJson> ids = ImageIdJson.requiredList(in);
        List<String> accepted = in.strings("acceptedMediaTypes", 1, 100);
        if (accepted != null) {
            for (String type : accepted) {
                if (!MediaTypes.isValid(type)) {
                    throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'acceptedMediaTypes' failed to "
                            + "satisfy constraint: 'Member must be a valid media type'");
                }
            }
        }
        RepositoryState repo = index.require(name);
        ObjectNode out = EcrJson.object();
        ArrayNode images = out.putArray("images");
        ArrayNode failures = out.putArray("failures");
        for (ImageIdJson id : ids) {
            String problem = id.problem();
            if (problem != null) {
                id.fail(failures, problem);
                continue;
            }
            Digest digest = id.digest();
            Tag tag = id.tag();
            if (tag != null && digest != null) {
                Digest tagged = repo.tag(tag.value()).orElse(null);
                if (tagged == null) {
                    id.fail(failures, ImageIdJson.IMAGE_NOT_FOUND);
                    continue;
                }
                if (!tagged.equals(digest)) {
                    id.fail(failures, ImageIdJson.TAG_DOES_NOT_MATCH_DIGEST);
                    continue;
                }
            }
            Reference reference = tag != null ? new Reference.ByTag(tag) : new Reference.ByDigest(digest);
            ManifestContent content;
            try {
                content = manifests.get(name, reference, accepted == null ? List.of() : accepted, true);
            } catch (ManifestUnknown e) {
                id.fail(failures, ImageIdJson.IMAGE_NOT_FOUND);
                continue;
            }
            ObjectNode image = images.addObject();
            image.put("registryId", registryId);
            image.put("repositoryName", name.value());
            image.set("imageId", ImageIdJson.of(content.digest(), id.tagText()));
            image.put("imageManifest", new String(content.bytes(), StandardCharsets.UTF_8));
            image.put("imageManifestMediaType", content.mediaType());
        }
        return out;
    }

    private ObjectNode batchDeleteImage(EcrCall call) {
        call.registryId();
        RepositoryName name = call.repositoryName();
        List<ImageIdJson> ids = ImageIdJson.requiredList(call.input());
        index.require(name);
        ObjectNode out = EcrJson.object();
        ArrayNode removed = out.putArray("imageIds");
        ArrayNode failures = out.putArray("failures");
        for (ImageIdJson id : ids) {
            String problem = id.problem();
            if (problem != null) {
                id.fail(failures, problem);
                continue;
            }
            try {
                for (ManifestService.Removed r : manifests.deleteForApi(name, id.digest(), id.tag())) {
                    removed.add(ImageIdJson.of(r.digest(), r.tag()));
                }
            } catch (ManifestUnknown e) {
                id.fail(failures, ImageIdJson.IMAGE_NOT_FOUND);
            } catch (ParameterInvalid e) {
                id.fail(failures, ImageIdJson.TAG_DOES_NOT_MATCH_DIGEST);
            } catch (ReferencedByIndex e) {
                id.fail(failures, ImageIdJson.REFERENCED_BY_MANIFEST_LIST, e.getMessage());
            }
        }
        return out;
    }

    private ObjectNode putImage(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        EcrInput in = call.input();
        String manifest = in.requiredString("imageManifest");
        EcrInput.checkLength("imageManifest", manifest, 1, MAX_MANIFEST_CHARS);
        String declaredType = in.string("imageManifestMediaType");
        String tagText = in.string("imageTag", 1, 300, null, null);
        String digestText = in.string("imageDigest");
        Tag tag = tagText == null ? null : Tag.of(tagText);
        Digest expected = null;
        if (digestText != null) {
            if (!Digest.isDigest(digestText)) {
                throw EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'imageDigest' failed to satisfy "
                        + "constraint: 'Invalid image digest'");
            }
            expected = Digest.parse(digestText);
        }
        // the control API never creates a repository, whatever registry.createOnPush says
        index.require(name);
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        // by digest when one is expected (the service checks it), else by tag, else untagged (null reference)
        Reference reference = expected != null ? new Reference.ByDigest(expected)
                : tag != null ? new Reference.ByTag(tag) : null;
        List<Tag> extraTags = expected != null && tag != null ? List.of(tag) : List.of();
        PushResult result;
        try {
            result = manifests.put(name, reference, bytes, declaredType, extraTags, true);
        } catch (DigestInvalid e) {
            if (expected == null) {
                throw e;
            }
            throw EcrErrorType.IMAGE_DIGEST_DOES_NOT_MATCH.error("Manifest digest '" + Digest.sha256(bytes)
                    + "' does not match the provided digest '" + expected + "'");
        } catch (ImageAlreadyExists e) {
            throw EcrErrorType.IMAGE_ALREADY_EXISTS.error("Image with digest '" + Digest.sha256(bytes) + "' and tag '"
                    + tagText + "' already exists in the repository with name '" + name.value()
                    + "' in registry with id '" + registryId + "'");
        } catch (ManifestBlobUnknown e) {
            if (isIndex(bytes)) {
                throw EcrErrorType.REFERENCED_IMAGES_NOT_FOUND.error("Some of the referenced images " + e.missing()
                        + " do not exist within the repository with name '" + name.value()
                        + "' in the registry with id '" + registryId + "'");
            }
            throw e;
        }
        String mediaType = index.require(name).image(result.digest()).map(ImageRecord::mediaType).orElse(declaredType);
        ObjectNode out = EcrJson.object();
        ObjectNode image = out.putObject("image");
        image.put("registryId", registryId);
        image.put("repositoryName", name.value());
        image.set("imageId", ImageIdJson.of(result.digest(), tagText));
        image.put("imageManifest", manifest);
        if (mediaType != null) {
            image.put("imageManifestMediaType", mediaType);
        }
        return out;
    }

    /** Whether the pushed manifest is an index / manifest list (it lists child manifests). */
    private static boolean isIndex(byte[] bytes) {
        try {
            JsonNode root = EcrJson.MAPPER.readTree(bytes);
            return root != null && root.path("manifests").isArray();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
