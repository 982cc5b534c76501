package io.lading.http.authz;

import io.lading.auth.policy.AccessDeniedMessage;
import io.lading.auth.policy.AttachedPolicies;
import io.lading.auth.policy.Decision;
import io.lading.auth.policy.EcrAction;
import io.lading.auth.policy.PolicyCache;
import io.lading.auth.policy.PolicyDocument;
import io.lading.auth.policy.PolicyInvalid;
import io.lading.auth.policy.PolicyKind;
import io.lading.auth.policy.RegistryPolicyScope;
import io.lading.auth.policy.RequestContext;
import io.lading.core.account.AccountSettingsService;
import io.lading.core.error.RegistryException;
import io.lading.core.identity.Principal;
import io.lading.core.repository.RepositoryIndex;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.repository.RepositoryState;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place both APIs ask "may this caller do this action on this resource?" (spec iam-policy.md
 * §6–§10). It builds the {@link RequestContext} (principal, {@code aws:SourceIp} from the connection,
 * {@code aws:SecureTransport} false because Lading serves plain HTTP, the current time, the repository's
 * tags), gathers the {@link AttachedPolicies} (the user's identity policies, the repository policy of the
 * target repository, the registry policy of this registry, scope V2) and runs {@code PolicyEvaluator}.
 *
 * <p>This Lading hosts one registry, owned by {@code registryAccount} ({@code auth.accountId}); every
 * repository ARN is {@code arn:aws:ecr:<region>:<registryAccount>:repository/<name>}. Users of other
 * accounts reach it cross-account. Repository and registry policies are parsed once per text
 * ({@link PolicyCache}); a check costs a map lookup, a context and a walk over a few statements:
 * microseconds.
 *
 * <p>Authorization comes before existence checks: a denied caller gets the same AccessDenied whether or
 * not the repository exists. Thread-safe.
 */
public final class Authorizer {

    private static final Logger log = LoggerFactory.getLogger(Authorizer.class);
    /** The caller ARN of anonymous {@code /v2} pulls, as AccessDenied messages show it. */
    public static final String ANONYMOUS = "anonymous";
    private static final String GET_AUTHORIZATION_TOKEN = EcrAction.GetAuthorizationToken.actionName();

    private final IdentityPolicies identities;
    private final RepositoryIndex repositories;
    private final AccountSettingsService accounts;
    private final String partition;
    private final String region;
    private final String registryAccount;
    private final String repositoryArnPrefix;
    private final Clock clock;
    private final PolicyCache cache = new PolicyCache(10_000);
    private final FailClosedPolicies failClosed = new FailClosedPolicies();

    /**
     * @param identities the users' identity policies
     * @param repositories where repository policies and resource tags are read from (memory)
     * @param accounts where the registry policy is read from (memory after the first read)
     * @param registryAccount the account owning this registry ({@code auth.accountId})
     */
    public Authorizer(IdentityPolicies identities, RepositoryIndex repositories, AccountSettingsService accounts,
            String partition, String region, String registryAccount, Clock clock) {
        this.identities = identities;
        this.repositories = repositories;
        this.accounts = accounts;
        this.partition = partition;
        this.region = region;
        this.registryAccount = registryAccount;
        this.repositoryArnPrefix = "arn:" + partition + ":ecr:" + region + ":" + registryAccount + ":repository/";
        this.clock = clock;
    }

    /** The account owning this registry. */
    public String registryAccount() {
        return registryAccount;
    }

    /** The ARN of a repository of this registry. */
    public String repositoryArn(String name) {
        return repositoryArnPrefix + name;
    }

    /** The ARN of a repository of {@code account}'s registry. */
    public String repositoryArn(String account, String name) {
        return "arn:" + partition + ":ecr:" + region + ":" + account + ":repository/" + name;
    }

    /**
     * Throws AccessDenied unless {@code action} is allowed on {@code resource}.
     *
     * @param resource a repository ARN or {@code *}
     * @throws RegistryException.AccessDenied with the sentence of spec §10
     */
    public void require(Caller caller, EcrAction action, String resource) {
        require(caller, action.actionName(), resource, RequestKeys.NONE);
    }

    /** As {@link #require(Caller, EcrAction, String)}, for any action string and with extra keys. */
    public void require(Caller caller, String action, String resource, RequestKeys keys) {
        Check check = check(caller, action, resource, keys);
        if (!check.decision().allowed()) {
            String message = AccessDeniedMessage.of(check.context(), check.decision());
            log.debug("Denied: {}", message);
            throw new RegistryException.AccessDenied(message);
        }
    }

    /** Whether {@code action} is allowed on {@code resource} (no exception). */
    public boolean allowed(Caller caller, EcrAction action, String resource) {
        return check(caller, action.actionName(), resource, RequestKeys.NONE).decision().allowed();
    }

    /**
     * Which repositories of this registry the caller may list ({@code ecr:DescribeRepositories} per
     * repository, spec §12 {@code _catalog}, §13).
     */
    public Predicate<String> listable(Caller caller) {
        return name -> allowed(caller, EcrAction.DescribeRepositories, repositoryArn(name));
    }

    /** The context and decision of one check. */
    public record Check(RequestContext context, Decision decision) {
    }

    /**
     * The request context of {@code action} on {@code resource} for {@code caller} (with the repository's
     * tags), e.g. for the lock-out check of {@code SetRepositoryPolicy}.
     */
    public RequestContext context(Caller caller, String action, String resource) {
        return context(caller, action, resource, RequestKeys.NONE, localRepository(resource));
    }

    /** Decides one check. */
    public Check check(Caller caller, String action, String resource, RequestKeys keys) {
        Optional<RepositoryState> repo = localRepository(resource);
        RequestContext ctx = context(caller, action, resource, keys, repo);
        return new Check(ctx, io.lading.auth.policy.PolicyEvaluator.decide(ctx, policies(caller, action, resource, repo)));
    }

    private RequestContext context(Caller caller, String action, String resource, RequestKeys keys,
            Optional<RepositoryState> repo) {
        RequestContext.Builder b = base(caller).action(action).resource(resource);
        if (keys.requestTagsAreResourceTags()) {
            b.resourceTags(keys.requestTags());
        } else {
            repo.ifPresent(r -> b.resourceTags(r.record().resourceTags()));
        }
        keys.requestTags().forEach((k, v) -> b.put("aws:RequestTag/" + k, v));
        if (keys.tagKeys() != null) {
            b.putMulti("aws:TagKeys", keys.tagKeys());
        }
        keys.other().forEach(b::put);
        return b.build();
    }

    private RequestContext.Builder base(Caller caller) {
        Principal p = caller.principal();
        RequestContext.Builder b = p == null ? RequestContext.service(ANONYMOUS, registryAccount)
                : RequestContext.user(p.arn()).put("aws:userid", p.accessKeyId());
        return b.sourceIp(caller.sourceIp())
                .secureTransport(false)
                .currentTime(clock.instant())
                .put("aws:UserAgent", caller.userAgent() == null ? "" : caller.userAgent())
                .put("aws:RequestedRegion", region);
    }

    private AttachedPolicies policies(Caller caller, String action, String resource, Optional<RepositoryState> repo) {
        PolicyDocument repositoryPolicy = repo.map(r -> repositoryPolicy(resource, r.record())).orElse(null);
        if (caller.anonymous()) {
            // anonymous pulls: only a repository policy granting "*" can allow them
            return new AttachedPolicies(List.of(), repositoryPolicy, null, RegistryPolicyScope.V2, registryAccount);
        }
        List<PolicyDocument> identity = identities.of(caller.principal().arn());
        if (action.equals(GET_AUTHORIZATION_TOKEN)) {
            // evaluated in the caller's own account: only identity policies can grant it (spec §11, §12)
            return AttachedPolicies.identityOnly(caller.principal().accountId(), identity);
        }
        boolean local = resource.equals("*") || resource.startsWith(repositoryArnPrefix);
        PolicyDocument registryPolicy = local ? registryPolicy() : null;
        return new AttachedPolicies(identity, repositoryPolicy, registryPolicy, RegistryPolicyScope.V2, registryAccount);
    }

    private Optional<RepositoryState> localRepository(String resource) {
        if (!resource.startsWith(repositoryArnPrefix)) {
            return Optional.empty();
        }
        RepositoryName name;
        try {
            name = RepositoryName.of(resource.substring(repositoryArnPrefix.length()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return repositories.find(name);
    }

    private PolicyDocument repositoryPolicy(String arn, RepositoryRecord record) {
        return stored(arn, PolicyKind.REPOSITORY, record.repositoryPolicy());
    }

    private PolicyDocument registryPolicy() {
        return stored("registry/" + registryAccount, PolicyKind.REGISTRY, accounts.get(registryAccount).registryPolicy());
    }

    /**
     * The parsed stored policy of {@code owner}, or null when there is none. A stored text that does not
     * parse (written by hand, by an older version or damaged) fails closed: see {@link FailClosedPolicies}.
     */
    private PolicyDocument stored(String owner, PolicyKind kind, String text) {
        if (text == null || text.isEmpty()) {
            failClosed.healthy(owner);
            return null;
        }
        try {
            PolicyDocument document = cache.get(owner, kind, text);
            failClosed.healthy(owner);
            return document;
        } catch (PolicyInvalid e) {
            return failClosed.standIn(owner, kind, text, e);
        }
    }

    /** Authorization counters for {@code /_lading/metrics}: unparseable stored policies. */
    public java.util.Map<String, Long> metrics() {
        return failClosed.metrics();
    }

    /** An identity policy's owner, for tests and diagnostics: the policies attached to a user ARN. */
    public List<PolicyDocument> identityPolicies(String userArn) {
        return identities.of(userArn);
    }
}
