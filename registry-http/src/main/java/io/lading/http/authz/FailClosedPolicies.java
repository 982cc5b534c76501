package io.lading.http.authz;

import io.lading.auth.policy.PolicyDocument;
import io.lading.auth.policy.PolicyInvalid;
import io.lading.auth.policy.PolicyKind;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stored repository or registry policy that does not parse stands for: a policy that denies every
 * action on its resource to every principal except reading, replacing and deleting the policy itself, so
 * that its Deny statements can never silently stop denying (fail closed) while an operator can still
 * repair it. Each broken text is logged once (ERROR, naming the owner and the parse error) and counted:
 * {@link #metrics()} reports how many stored policies are unparseable now and how many times a stand-in
 * was evaluated in place of one (one per request that consulted it, whether denied or, for the policy's
 * own get, set and delete, allowed). Thread-safe.
 */
final class FailClosedPolicies {

    private static final Logger log = LoggerFactory.getLogger(FailClosedPolicies.class);

    private static final PolicyDocument REPOSITORY = PolicyDocument.parse("""
            {"Version":"2012-10-17","Statement":[{"Sid":"LadingUnparseableRepositoryPolicy","Effect":"Deny",
             "Principal":"*","NotAction":["ecr:GetRepositoryPolicy","ecr:SetRepositoryPolicy",
             "ecr:DeleteRepositoryPolicy"]}]}""", PolicyKind.REPOSITORY);
    private static final PolicyDocument REGISTRY = PolicyDocument.parse("""
            {"Version":"2012-10-17","Statement":[{"Sid":"LadingUnparseableRegistryPolicy","Effect":"Deny",
             "Principal":"*","NotAction":["ecr:GetRegistryPolicy","ecr:PutRegistryPolicy",
             "ecr:DeleteRegistryPolicy"],"Resource":"*"}]}""", PolicyKind.REGISTRY);

    /** Owner (repository ARN, {@code registry/<account>}) to the broken text last seen. */
    private final Map<String, String> broken = new ConcurrentHashMap<>();
    private final AtomicLong uses = new AtomicLong();

    /**
     * The deny-all document standing for {@code owner}'s unparseable {@code text}; logs the first time a
     * text is seen.
     */
    PolicyDocument standIn(String owner, PolicyKind kind, String text, PolicyInvalid failure) {
        String previous = broken.put(owner, text);
        if (previous == null || !previous.equals(text)) {
            log.error("The stored {} policy of {} does not parse ({}): every action on it is denied except "
                    + "reading, replacing and deleting that policy, until it is fixed", kind.name().toLowerCase(
                    java.util.Locale.ROOT), owner, failure.getMessage());
        }
        uses.incrementAndGet();
        return kind == PolicyKind.REGISTRY ? REGISTRY : REPOSITORY;
    }

    /** {@code owner}'s policy parsed (or was removed): it no longer counts as broken. */
    void healthy(String owner) {
        if (!broken.isEmpty()) { // the common case costs one read
            broken.remove(owner);
        }
    }

    /** {@code authz.unparseablePolicies} (now) and {@code authz.unparseablePolicyEvaluations} (since start). */
    Map<String, Long> metrics() {
        return Map.of("authz.unparseablePolicies", (long) broken.size(),
                "authz.unparseablePolicyEvaluations", uses.get());
    }
}
