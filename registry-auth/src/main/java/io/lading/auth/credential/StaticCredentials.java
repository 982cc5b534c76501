package io.lading.auth.credential;

import io.lading.auth.sigv4.Credential;
import io.lading.auth.sigv4.CredentialLookup;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The credential store of a registry whose users come from its configuration file. Built once at
 * start-up; a changed user list means a new instance.
 *
 * <p>Besides each {@link UserConfig}'s own rules, access key ids must be unique across all users and
 * user names unique within an account; a violation is an {@link IllegalArgumentException} naming the
 * user. Immutable and thread-safe.
 */
public final class StaticCredentials implements CredentialLookup {

    private final Map<String, Credential> byAccessKeyId;

    public StaticCredentials(List<UserConfig> users) {
        Map<String, Credential> keys = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (UserConfig user : users) {
            if (user == null) {
                throw new IllegalArgumentException("the user list contains an empty entry");
            }
            Credential previous = keys.putIfAbsent(user.accessKeyId(), user.credential());
            if (previous != null) {
                throw new IllegalArgumentException("user '" + user.name() + "': accessKeyId " + user.accessKeyId()
                        + " is already used by user '" + previous.principal().userName() + "'");
            }
            if (!names.add(user.accountId() + "/" + user.name())) {
                throw new IllegalArgumentException("user '" + user.name() + "': another user of account "
                        + user.accountId() + " has the same name");
            }
        }
        this.byAccessKeyId = Map.copyOf(keys);
    }

    @Override
    public Optional<Credential> find(String accessKeyId) {
        return accessKeyId == null ? Optional.empty() : Optional.ofNullable(byAccessKeyId.get(accessKeyId));
    }

    /** How many users are configured. */
    public int size() {
        return byAccessKeyId.size();
    }
}
