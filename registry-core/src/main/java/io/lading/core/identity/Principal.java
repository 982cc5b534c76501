package io.lading.core.identity;

import java.util.regex.Pattern;

/**
 * An authenticated caller: an IAM-style user of one account. The account id is also the caller's
 * registry id.
 *
 * @param accountId 12 digits (leading zeros allowed)
 * @param userName the user name, as {@code aws:username} sees it
 * @param arn {@code arn:<partition>:iam::<accountId>:user/<userName>}
 * @param accessKeyId the access key the caller authenticated with
 */
public record Principal(String accountId, String userName, String arn, String accessKeyId) {

    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    public Principal {
        if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("account id must be 12 digits");
        }
    }

    /** A user principal in the {@code aws} partition. */
    public static Principal user(String accountId, String userName, String accessKeyId) {
        return new Principal(accountId, userName, "arn:aws:iam::" + accountId + ":user/" + userName, accessKeyId);
    }
}
