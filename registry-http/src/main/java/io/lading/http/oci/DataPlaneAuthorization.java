package io.lading.http.oci;

import io.lading.auth.policy.ActionRequirement;
import io.lading.auth.policy.RegistryApiActions;
import io.lading.auth.policy.V2Request;
import io.lading.http.authz.Authorizer;
import io.lading.http.authz.Caller;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Authorizes {@code /v2} requests on their head (spec iam-policy.md §12): maps endpoint and method to a
 * {@link V2Request}, and checks every {@link ActionRequirement} of
 * {@link RegistryApiActions#requirements}. A denied {@code DENY} requirement throws AccessDenied (403
 * {@code DENIED}); a denied mount source ({@code FALL_BACK_TO_UPLOAD}) only tells the upload route not to
 * mount; the catalogue gets a predicate that leaves out repositories the caller may not list
 * ({@code OMIT_FROM_LISTING}). {@code GET /v2/} needs authentication only. Thread-safe.
 */
final class DataPlaneAuthorization {

    /** What the route must do besides proceeding. */
    record Outcome(boolean skipMount, Predicate<String> visible) {
        static final Outcome PROCEED = new Outcome(false, null);
    }

    /** The kinds of request that create their repository when it is missing and {@code createOnPush} is on. */
    private static final java.util.Set<V2Request> CREATING = java.util.EnumSet.of(V2Request.UPLOAD_START,
            V2Request.UPLOAD_MONOLITHIC, V2Request.BLOB_MOUNT, V2Request.MANIFEST_PUT);

    private final Authorizer authorizer;
    private final Predicate<String> createsOnPush;

    /**
     * @param createsOnPush whether a push to this repository name would create it (the repository is
     *     missing and {@code registry.createOnPush} is on): such a push also needs
     *     {@code ecr:CreateRepository} on it
     */
    DataPlaneAuthorization(Authorizer authorizer, Predicate<String> createsOnPush) {
        this.authorizer = authorizer;
        this.createsOnPush = createsOnPush;
    }

    /**
     * Decides a supported request of {@code kind} ({@link #kind}).
     *
     * @throws io.lading.core.error.RegistryException.AccessDenied when a required action is denied
     */
    Outcome authorize(Caller caller, HttpRequest request, OciPath path, V2Request kind) {
        if (kind == V2Request.BASE) {
            return Outcome.PROCEED;
        }
        if (kind == V2Request.CATALOG) {
            return new Outcome(false, authorizer.listable(caller));
        }
        String repository = authorizer.repositoryArn(path.name());
        String source = null;
        if (kind == V2Request.BLOB_MOUNT) {
            source = authorizer.repositoryArn(query(request).get("from").get(0));
        }
        boolean skipMount = false;
        List<ActionRequirement> requirements = RegistryApiActions.requirements(kind, repository, source);
        if (CREATING.contains(kind) && createsOnPush.test(path.name())) {
            // creating is its own permission, whatever path creates the repository
            requirements = new java.util.ArrayList<>(requirements);
            requirements.add(new ActionRequirement(io.lading.auth.policy.EcrAction.CreateRepository, repository,
                    ActionRequirement.OnFailure.DENY));
        }
        if (kind == V2Request.BLOB_MOUNT && first(query(request), "digest") != null) {
            // a mount that falls back may complete as a monolithic upload: check those actions too
            requirements = new java.util.ArrayList<>(requirements);
            requirements.addAll(RegistryApiActions.requirements(V2Request.UPLOAD_MONOLITHIC, repository, null));
        }
        for (ActionRequirement r : requirements) {
            switch (r.onFailure()) {
                case DENY -> authorizer.require(caller, r.action(), r.resource());
                case FALL_BACK_TO_UPLOAD -> skipMount |= !authorizer.allowed(caller, r.action(), r.resource());
                case OMIT_FROM_LISTING -> {
                    // only the catalogue, handled above
                }
            }
        }
        return skipMount ? new Outcome(true, null) : Outcome.PROCEED;
    }

    /** The kind of request, or null for a method the endpoint does not serve (answered 405 unauthorized). */
    static V2Request kind(HttpRequest request, OciPath path) {
        HttpMethod m = request.method();
        boolean get = HttpMethod.GET.equals(m);
        boolean head = HttpMethod.HEAD.equals(m);
        return switch (path.endpoint()) {
            case BASE -> get || head ? V2Request.BASE : null;
            case CATALOG -> get ? V2Request.CATALOG : null;
            case TAGS -> get ? V2Request.TAGS_LIST : null;
            case REFERRERS -> get ? V2Request.REFERRERS : null;
            case MANIFEST -> get ? V2Request.MANIFEST_GET : head ? V2Request.MANIFEST_HEAD
                    : HttpMethod.PUT.equals(m) ? V2Request.MANIFEST_PUT
                    : HttpMethod.DELETE.equals(m) ? V2Request.MANIFEST_DELETE : null;
            case BLOB -> get ? V2Request.BLOB_GET : head ? V2Request.BLOB_HEAD
                    : HttpMethod.DELETE.equals(m) ? V2Request.BLOB_DELETE : null;
            case UPLOADS -> HttpMethod.POST.equals(m) ? uploadStart(query(request)) : null;
            case UPLOAD -> get ? V2Request.UPLOAD_STATUS
                    : HttpMethod.PATCH.equals(m) ? V2Request.UPLOAD_CHUNK
                    : HttpMethod.DELETE.equals(m) ? V2Request.UPLOAD_CANCEL
                    : HttpMethod.PUT.equals(m) ? (carriesBody(request) ? V2Request.UPLOAD_COMPLETE_WITH_DATA
                            : V2Request.UPLOAD_COMPLETE)
                    : null;
        };
    }

    private static V2Request uploadStart(Map<String, List<String>> query) {
        if (first(query, "mount") != null && first(query, "from") != null) {
            return V2Request.BLOB_MOUNT;
        }
        return first(query, "digest") != null ? V2Request.UPLOAD_MONOLITHIC : V2Request.UPLOAD_START;
    }

    private static boolean carriesBody(HttpRequest request) {
        return HttpUtil.getContentLength(request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(request);
    }

    private static Map<String, List<String>> query(HttpRequest request) {
        return new QueryStringDecoder(request.uri()).parameters();
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
