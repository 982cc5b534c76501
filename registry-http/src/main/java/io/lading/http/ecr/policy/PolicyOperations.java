package io.lading.http.ecr.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.account.AccountSettings;
import io.lading.core.account.AccountSettingsService;
import io.lading.core.error.RegistryException.PolicyNotFound;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryRecord;
import io.lading.core.repository.RepositoryService;
import io.lading.http.ecr.EcrCall;
import io.lading.http.ecr.EcrErrorType;
import io.lading.http.ecr.EcrInput;
import io.lading.http.ecr.EcrJson;
import io.lading.http.ecr.EcrOperation;
import io.lading.http.ecr.EcrOperations;
import io.lading.http.ecr.RegistryIdentity;
import io.lading.auth.policy.PolicyInvalid;
import io.lading.auth.policy.PrincipalDirectory;
import io.lading.auth.policy.RegistryPolicyScope;
import io.lading.auth.policy.RegistryPolicyValidation;
import io.lading.auth.policy.RepositoryPolicyValidation;
import io.lading.auth.policy.RequestContext;
import io.lading.http.authz.Authorizer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Policy storage operations: the repository policy (Set/Get/DeleteRepositoryPolicy), the lifecycle
 * policy (Put/Get/DeleteLifecyclePolicy; preview belongs to the lifecycle engine) and the registry
 * policy (Put/Get/DeleteRegistryPolicy). Repository and registry policies are validated with the policy
 * library ({@link RepositoryPolicyValidation}: grammar, principals of managed accounts, and the lock-out
 * check that {@code force} skips; {@link RegistryPolicyValidation}), stored verbatim and returned byte for
 * byte; the {@link Authorizer} evaluates them on each request.
 */
public final class PolicyOperations {

    /** Maximum length of repository and registry policy texts (model: RepositoryPolicyText, RegistryPolicyText). */
    public static final int MAX_POLICY_LENGTH = 10_240;

    private final RepositoryService repositories;
    private final AccountSettingsService accounts;
    private final Authorizer authorizer;
    private final PrincipalDirectory principals;

    /**
     * @param authorizer builds the caller's request context for the lock-out check
     * @param principals the users and accounts policies may name ("Principal not found")
     */
    public PolicyOperations(RepositoryService repositories, AccountSettingsService accounts, Authorizer authorizer,
            PrincipalDirectory principals) {
        this.repositories = repositories;
        this.accounts = accounts;
        this.authorizer = authorizer;
        this.principals = principals;
    }

    public void register(EcrOperations table) {
        table.register(EcrOperation.SetRepositoryPolicy, this::setRepositoryPolicy)
                .register(EcrOperation.GetRepositoryPolicy, this::getRepositoryPolicy)
                .register(EcrOperation.DeleteRepositoryPolicy, this::deleteRepositoryPolicy)
                .register(EcrOperation.PutLifecyclePolicy, this::putLifecyclePolicy)
                .register(EcrOperation.GetLifecyclePolicy, this::getLifecyclePolicy)
                .register(EcrOperation.DeleteLifecyclePolicy, this::deleteLifecyclePolicy)
                .register(EcrOperation.PutRegistryPolicy, this::putRegistryPolicy)
                .register(EcrOperation.GetRegistryPolicy, this::getRegistryPolicy)
                .register(EcrOperation.DeleteRegistryPolicy, this::deleteRegistryPolicy);
    }

    // --- repository policy ---

    private ObjectNode setRepositoryPolicy(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        String text = call.input().requiredString("policyText");
        EcrInput.checkLength("policyText", text, 0, MAX_POLICY_LENGTH);
        boolean force = Boolean.TRUE.equals(call.input().bool("force"));
        String arn = call.identity().repositoryArn(registryId, name);
        RequestContext caller = authorizer.context(call.caller(), "ecr:SetRepositoryPolicy", arn);
        if (!new PolicyDocumentCheck(PolicyDocumentCheck.Kind.REPOSITORY, null).valid(text)) {
            throw invalidPolicy("Invalid repository policy provided");
        }
        try {
            RepositoryPolicyValidation.validate(text, caller, force, principals);
        } catch (PolicyInvalid e) {
            throw EcrErrorType.INVALID_PARAMETER.error(e.getMessage());
        }
        RepositoryRecord r = repositories.update(name, rec -> rec.withRepositoryPolicy(text));
        return repositoryPolicyOutput(registryId, name, r.repositoryPolicy());
    }

    private ObjectNode getRepositoryPolicy(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        String text = repositories.get(name).record().repositoryPolicy();
        if (text == null) {
            throw noRepositoryPolicy(registryId, name);
        }
        return repositoryPolicyOutput(registryId, name, text);
    }

    private ObjectNode deleteRepositoryPolicy(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        AtomicReference<String> removed = new AtomicReference<>();
        repositories.update(name, rec -> {
            if (rec.repositoryPolicy() == null) {
                throw noRepositoryPolicy(registryId, name);
            }
            removed.set(rec.repositoryPolicy());
            return rec.withRepositoryPolicy(null);
        });
        return repositoryPolicyOutput(registryId, name, removed.get());
    }

    private static ObjectNode repositoryPolicyOutput(String registryId, RepositoryName name, String text) {
        ObjectNode out = EcrJson.object();
        out.put("registryId", registryId);
        out.put("repositoryName", name.value());
        out.put("policyText", text);
        return out;
    }

    private static PolicyNotFound noRepositoryPolicy(String registryId, RepositoryName name) {
        return new PolicyNotFound(PolicyNotFound.Kind.REPOSITORY, "Repository policy does not exist for the repository "
                + "with name '" + name + "' in the registry with id '" + registryId + "'");
    }

    // --- lifecycle policy ---

    private ObjectNode putLifecyclePolicy(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        String text = call.input().requiredString("lifecyclePolicyText");
        LifecyclePolicyCheck.check(text);
        RepositoryRecord r = repositories.update(name, rec -> rec.withLifecyclePolicy(text));
        return lifecycleOutput(registryId, name, r.lifecyclePolicy());
    }

    private ObjectNode getLifecyclePolicy(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        String text = repositories.get(name).record().lifecyclePolicy();
        if (text == null) {
            throw noLifecyclePolicy(registryId, name);
        }
        return lifecycleOutput(registryId, name, text);
    }

    private ObjectNode deleteLifecyclePolicy(EcrCall call) {
        String registryId = call.registryId();
        RepositoryName name = call.repositoryName();
        AtomicReference<String> removed = new AtomicReference<>();
        repositories.update(name, rec -> {
            if (rec.lifecyclePolicy() == null) {
                throw noLifecyclePolicy(registryId, name);
            }
            removed.set(rec.lifecyclePolicy());
            return rec.withLifecyclePolicy(null);
        });
        return lifecycleOutput(registryId, name, removed.get());
    }

    /**
     * The lifecycle outputs. {@code lastEvaluatedAt} is omitted until an evaluation has run
     * (lifecycle-policy.md 3.2); the evaluator that records it is the lifecycle engine's.
     */
    private static ObjectNode lifecycleOutput(String registryId, RepositoryName name, String text) {
        ObjectNode out = EcrJson.object();
        out.put("registryId", registryId);
        out.put("repositoryName", name.value());
        out.put("lifecyclePolicyText", text);
        return out;
    }

    private static PolicyNotFound noLifecyclePolicy(String registryId, RepositoryName name) {
        return new PolicyNotFound(PolicyNotFound.Kind.LIFECYCLE, "Lifecycle policy does not exist for the repository "
                + "with name '" + name + "' in the registry with id '" + registryId + "'");
    }

    // --- registry policy (no registryId member: always the caller's registry) ---

    private ObjectNode putRegistryPolicy(EcrCall call) {
        String registryId = call.identity().account();
        String text = call.input().requiredString("policyText");
        EcrInput.checkLength("policyText", text, 0, MAX_POLICY_LENGTH);
        RegistryIdentity id = call.identity();
        String repositoryArns = "arn:" + id.partition() + ":ecr:" + id.region() + ":" + registryId + ":repository/";
        if (!new PolicyDocumentCheck(PolicyDocumentCheck.Kind.REGISTRY, repositoryArns).valid(text)) {
            throw invalidPolicy("Invalid registry policy provided");
        }
        try {
            RegistryPolicyValidation.validate(text, RegistryPolicyScope.V2, id.partition(), id.region(), registryId,
                    principals);
        } catch (PolicyInvalid e) {
            throw EcrErrorType.INVALID_PARAMETER.error(e.getMessage());
        }
        AccountSettings s = accounts.update(registryId, a -> a.withRegistryPolicy(text));
        return registryPolicyOutput(registryId, s.registryPolicy());
    }

    private ObjectNode getRegistryPolicy(EcrCall call) {
        String registryId = call.identity().account();
        String text = accounts.get(registryId).registryPolicy();
        if (text == null) {
            throw noRegistryPolicy(registryId);
        }
        return registryPolicyOutput(registryId, text);
    }

    private ObjectNode deleteRegistryPolicy(EcrCall call) {
        String registryId = call.identity().account();
        if (accounts.get(registryId).registryPolicy() == null) {
            throw noRegistryPolicy(registryId); // nothing to delete: no write
        }
        AtomicReference<String> removed = new AtomicReference<>();
        accounts.update(registryId, a -> {
            if (a.registryPolicy() == null) {
                throw noRegistryPolicy(registryId);
            }
            removed.set(a.registryPolicy());
            return a.withRegistryPolicy(null);
        });
        return registryPolicyOutput(registryId, removed.get());
    }

    private static ObjectNode registryPolicyOutput(String registryId, String text) {
        ObjectNode out = EcrJson.object();
        out.put("registryId", registryId);
        out.put("policyText", text);
        return out;
    }

    private static PolicyNotFound noRegistryPolicy(String registryId) {
        return new PolicyNotFound(PolicyNotFound.Kind.REGISTRY,
                "Registry policy does not exist in the registry with id '" + registryId + "'");
    }

    private static io.lading.http.ecr.EcrException invalidPolicy(String constraint) {
        return EcrErrorType.INVALID_PARAMETER.error("Invalid parameter at 'PolicyText' failed to satisfy constraint: '"
                + constraint + "'");
    }
}
