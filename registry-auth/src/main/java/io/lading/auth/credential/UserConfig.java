package io.lading.auth.credential;

import io.lading.auth.sigv4.Credential;
import io.lading.core.identity.Principal;
import java.util.regex.Pattern;

/**
 * One configured user and its access key. Validated at construction; every message names the user, so
 * an operator can find the bad entry in the config file. {@link #toString()} never shows the secret.
 * Immutable and thread-safe.
 *
 * <p>Example config entry: {@code {"name":"ci","accountId":"123456789012",
 * "accessKeyId":"AKIAIOSFODNN7EXAMPLE","secretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}.
 *
 * @param name the IAM-style user name: 1–64 of {@code [A-Za-z0-9_+=,.@-]}
 * @param accountId 12 digits
 * @param accessKeyId 16–128 of {@code [A-Z0-9]}
 * @param secretAccessKey at least 16 characters
 */
public record UserConfig(String name, String accountId, String accessKeyId, String secretAccessKey) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,64}");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final int MIN_SECRET_LENGTH = 16;

    public UserConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user '" + name + "': name must be 1-64 characters of"
                    + " letters, digits and _+=,.@-");
        }
        if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("user '" + name + "': accountId must be 12 digits, got '"
                    + accountId + "'");
        }
        if (accessKeyId == null || !ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
            throw new IllegalArgumentException("user '" + name + "': accessKeyId must be 16-128 characters of"
                    + " A-Z and 0-9, got '" + accessKeyId + "'");
        }
        if (secretAccessKey == null || secretAccessKey.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("user '" + name + "': secretAccessKey must be at least "
                    + MIN_SECRET_LENGTH + " characters");
        }
    }

    /** The principal this user authenticates as. */
    public Principal principal() {
        return Principal.user(accountId, name, accessKeyId);
    }

    /** This user's access key as the verifiers see it. */
    public Credential credential() {
        return new Credential(accessKeyId, secretAccessKey, principal());
    }

    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", accountId=" + accountId + ", accessKeyId=" + accessKeyId + "]";
    }
}
