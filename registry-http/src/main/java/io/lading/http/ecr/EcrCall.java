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
 */
public record EcrCall(EcrOperation operation, Principal principal, EcrInput input, RegistryIdentity identity) {

    private static final Pattern REGISTRY_ID = Pattern.compile("[0-9]{12}");

    /**
     * The registry the call addresses: {@code registryId} when given, else the caller's account. Another
     * account's registry is refused until cross-account policies exist (issue 4).
     */
    public String registryId() {
        String id = input.string("registryId");
        if (id == null) {
            return principal.accountId();
        }
        if (!REGISTRY_ID.matcher(id).matches()) {
            throw EcrInput.regex("registryId", "[0-9]{12}");
        }
        if (!id.equals(principal.accountId())) {
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
