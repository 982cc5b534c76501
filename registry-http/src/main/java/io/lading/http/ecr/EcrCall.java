package io.lading.http.ecr;

import io.lading.core.identity.Principal;
import io.lading.core.repository.RepositoryName;
import java.util.regex.Pattern;

/**
 * One authenticated control-plane call as an operation handler sees it: the caller, its validated
 * input, and the registry's identity for building ARNs and URIs.
 *
 * @param operation the operation being called
 * @param principal the authenticated caller
 * @param input the request body
 * @param identity region, partition and host of this registry
 * @param caller the caller with its connection details (for the request context of policy checks)
 */
public record EcrCall(EcrOperation operation, Principal principal, EcrInput input, RegistryIdentity identity,
        io.lading.http.authz.Caller caller) {

    private static final Pattern REGISTRY_ID = Pattern.compile("[0-9]{12}");

    /**
     * The registry the call addresses: {@code registryId} when given, else this registry (owned by
     * {@link RegistryIdentity#account()}). Users of other accounts reach it cross-account (the
     * authorizer has already checked their identity and the resource policies). Lading hosts a single
     * registry, so any other registry id is refused with AccessDenied, as for a registry the caller has
     * no grant in.
     */
    public String registryId() {
        String id = input.string("registryId");
        if (id == null) {
            return identity.account();
        }
        if (!REGISTRY_ID.matcher(id).matches()) {
            throw EcrInput.regex("registryId", "[0-9]{12}");
        }
        if (!id.equals(identity.account())) {
            throw EcrErrorType.ACCESS_DENIED.error("User: " + principal.arn() + " is not authorized to perform: ecr:"
                    + operation + " on resource: arn:aws:ecr:" + identity.region() + ":" + id
                    + ":repository/* because no resource-based policy allows the ecr:" + operation + " action");
        }
        return id;
    }

    /** The required {@code repositoryName}, validated. */
    public RepositoryName repositoryName() {
        String name = input.requiredString("repositoryName");
        EcrInput.checkLength("repositoryName", name, 2, 256);
        if (!name.matches(RepositoryName.PATTERN_TEXT)) {
            throw EcrInput.regex("repositoryName", RepositoryName.PATTERN_TEXT);
        }
        return RepositoryName.of(name);
    }
}
