package io.lading.http.authz;

import io.lading.auth.policy.ManagedPolicies;
import io.lading.auth.policy.PolicyDocument;
import io.lading.auth.policy.PolicyInvalid;
import io.lading.auth.policy.PolicyKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The identity policies of every configured user, parsed once at start-up and looked up by the user's
 * ARN. A policy entry is either the name of an AWS managed policy ({@link ManagedPolicies#names()}) or an
 * inline JSON policy document. A user without entries has no policy (IAM's implicit deny). Immutable and
 * thread-safe.
 */
public final class IdentityPolicies {

    private final Map<String, List<PolicyDocument>> byArn;
    private final Set<String> arns;

    private IdentityPolicies(Map<String, List<PolicyDocument>> byArn) {
        this.byArn = Map.copyOf(byArn);
        this.arns = this.byArn.keySet();
    }

    /** Collects users' policies; call {@link Builder#add} once per user. */
    public static Builder builder() {
        return new Builder();
    }

    /** The policies of the user with this ARN; empty for an unknown user. */
    public List<PolicyDocument> of(String userArn) {
        List<PolicyDocument> p = byArn.get(userArn);
        return p == null ? List.of() : p;
    }

    /** Whether a user with this ARN is configured. */
    public boolean exists(String userArn) {
        return arns.contains(userArn);
    }

    /**
     * Parses one policy entry of a user.
     *
     * @throws IllegalArgumentException naming the user when the entry is neither a managed policy name
     *     nor a valid identity policy document
     */
    public static PolicyDocument parse(String userName, int index, String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("user '" + userName + "': policies[" + index + "] is empty");
        }
        String text = entry.strip();
        if (!text.startsWith("{")) {
            return ManagedPolicies.byName(text).orElseThrow(() -> new IllegalArgumentException("user '" + userName
                    + "': policies[" + index + "] '" + text + "' is neither a JSON policy document nor a managed policy ("
                    + String.join(", ", new java.util.TreeSet<>(ManagedPolicies.names())) + ")"));
        }
        try {
            return PolicyDocument.parse(text, PolicyKind.IDENTITY);
        } catch (PolicyInvalid e) {
            throw new IllegalArgumentException("user '" + userName + "': policies[" + index
                    + "] is not a valid identity policy: " + e.getMessage()
                    + (e.detail() == null ? "" : " (" + e.detail() + ")"), e);
        }
    }

    /** Not thread-safe; used once at start-up. */
    public static final class Builder {
        private final Map<String, List<PolicyDocument>> byArn = new HashMap<>();

        /** Adds a user with its policy entries (managed names or JSON documents). */
        public Builder add(String userName, String userArn, List<String> entries) {
            List<PolicyDocument> docs = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                docs.add(parse(userName, i, entries.get(i)));
            }
            byArn.put(userArn, List.copyOf(docs));
            return this;
        }

        public IdentityPolicies build() {
            return new IdentityPolicies(byArn);
        }
    }
}
