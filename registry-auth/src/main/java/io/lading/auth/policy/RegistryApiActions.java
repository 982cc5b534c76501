package io.lading.auth.policy;

import java.util.List;

/**
 * The authorization table of the {@code /v2} API (spec §12) and of ECR API operations (§11): which
 * actions on which resources must all be allowed. The front end evaluates every returned
 * {@link ActionRequirement} with {@link PolicyEvaluator} (using
 * {@link RequestContext#withTarget} for each resource) and acts on the first denial as its
 * {@link ActionRequirement.OnFailure} says. Stateless and thread-safe.
 */
public final class RegistryApiActions {

    private RegistryApiActions() {
    }

    /** False for requests answered {@code 405 UNSUPPORTED} without authorization ({@code BLOB_DELETE}). */
    public static boolean isSupported(V2Request request) {
        return request != V2Request.BLOB_DELETE;
    }

    /**
     * The requirements of a {@code /v2} request.
     *
     * @param request the request kind
     * @param repositoryArn the ARN of {@code <name>} (for {@code CATALOG}: of one listed
     *     repository; call once per repository); ignored for {@code BASE}
     * @param sourceRepositoryArn for {@code BLOB_MOUNT}: the ARN of {@code from=<src>}; otherwise
     *     ignored (may be null)
     * @return the requirements, all to be allowed; empty for {@code BASE} (authentication only)
     * @throws IllegalArgumentException for unsupported requests ({@link #isSupported})
     */
    public static List<ActionRequirement> requirements(V2Request request, String repositoryArn,
            String sourceRepositoryArn) {
        return switch (request) {
            case BASE -> List.of();
            case CATALOG -> List.of(new ActionRequirement(EcrAction.DescribeRepositories, repositoryArn,
                    ActionRequirement.OnFailure.OMIT_FROM_LISTING));
            case TAGS_LIST -> on(repositoryArn, EcrAction.ListImages);
            case MANIFEST_GET, MANIFEST_HEAD, REFERRERS -> on(repositoryArn, EcrAction.BatchGetImage);
            case MANIFEST_PUT -> on(repositoryArn, EcrAction.PutImage);
            case MANIFEST_DELETE -> on(repositoryArn, EcrAction.BatchDeleteImage);
            case BLOB_GET -> on(repositoryArn, EcrAction.GetDownloadUrlForLayer);
            case BLOB_HEAD -> on(repositoryArn, EcrAction.BatchCheckLayerAvailability);
            case UPLOAD_START -> on(repositoryArn, EcrAction.InitiateLayerUpload);
            case UPLOAD_MONOLITHIC -> on(repositoryArn, EcrAction.InitiateLayerUpload, EcrAction.UploadLayerPart,
                    EcrAction.CompleteLayerUpload);
            case UPLOAD_CHUNK, UPLOAD_STATUS, UPLOAD_CANCEL -> on(repositoryArn, EcrAction.UploadLayerPart);
            case UPLOAD_COMPLETE -> on(repositoryArn, EcrAction.CompleteLayerUpload);
            case UPLOAD_COMPLETE_WITH_DATA -> on(repositoryArn, EcrAction.CompleteLayerUpload, EcrAction.UploadLayerPart);
            case BLOB_MOUNT -> List.of(
                    new ActionRequirement(EcrAction.InitiateLayerUpload, repositoryArn, ActionRequirement.OnFailure.DENY),
                    new ActionRequirement(EcrAction.GetDownloadUrlForLayer, sourceRepositoryArn,
                            ActionRequirement.OnFailure.FALL_BACK_TO_UPLOAD));
            case BLOB_DELETE -> throw new IllegalArgumentException("DELETE of a blob is unsupported (405 UNSUPPORTED)");
        };
    }

    /**
     * The actions of an ECR API operation (§11): the action of the same name, plus
     * {@code ecr:TagResource} for {@code CreateRepository} with tags, and {@code ecr:BatchGetImage}
     * for {@code ListImageReferrers}. Pull-through-cache misses add
     * {@link #pullThroughCacheMiss}.
     *
     * @param operation the operation name, e.g. {@code PutImage}
     * @param requestHasTags whether a {@code CreateRepository} request carries tags
     * @throws IllegalArgumentException for an unknown operation
     */
    public static List<EcrAction> forOperation(String operation, boolean requestHasTags) {
        if (operation.equals("ListImageReferrers")) {
            return List.of(EcrAction.BatchGetImage);
        }
        EcrAction action = EcrAction.fromActionName("ecr:" + operation)
                .orElseThrow(() -> new IllegalArgumentException("unknown operation " + operation));
        if (action == EcrAction.CreateRepository && requestHasTags) {
            return List.of(EcrAction.CreateRepository, EcrAction.TagResource);
        }
        return List.of(action);
    }

    /**
     * The extra actions of a {@code BatchGetImage} / {@code GetDownloadUrlForLayer} that misses
     * a pull-through cache: {@code ecr:BatchImportUpstreamImage}, and {@code ecr:CreateRepository}
     * when the cache repository does not exist yet.
     */
    public static List<EcrAction> pullThroughCacheMiss(boolean repositoryExists) {
        return repositoryExists ? List.of(EcrAction.BatchImportUpstreamImage)
                : List.of(EcrAction.BatchImportUpstreamImage, EcrAction.CreateRepository);
    }

    private static List<ActionRequirement> on(String repositoryArn, EcrAction... actions) {
        ActionRequirement[] out = new ActionRequirement[actions.length];
        for (int i = 0; i < actions.length; i++) {
            out[i] = new ActionRequirement(actions[i], repositoryArn, ActionRequirement.OnFailure.DENY);
        }
        return List.of(out);
    }
}
