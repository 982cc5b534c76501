package io.lading.auth.policy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the evaluator may look at for one authorization check (spec §6): who asks, for what
 * action, on which resource, and the condition keys of the request.
 *
 * <p>Dedicated components carry the keys the registry always fills; {@code otherKeys} holds the
 * rest ({@code aws:userid}, {@code aws:UserAgent}, {@code aws:RequestedRegion},
 * {@code aws:RequestTag/<k>}, {@code aws:TagKeys}, {@code ecr:AccountSetting},
 * {@code aws:TokenIssueTime}, ...). Key names and tag keys are case-insensitive (§5.1): the
 * constructor stores them lower-cased. Derived keys: {@code aws:PrincipalType},
 * {@code aws:ResourceAccount} (from the resource ARN), {@code aws:EpochTime} (from
 * {@code currentTime}), {@code aws:PrincipalIsAWSService}, and both {@code aws:ResourceTag/<k>}
 * and {@code ecr:ResourceTag/<k>} from {@code resourceTags}.
 *
 * <p>Immutable and thread-safe. To check a second action or resource for the same caller (blob
 * mount, catalogue filtering) use {@link #withTarget}, which shares the normalized maps.
 *
 * @param callerArn the request principal ARN as it appears in {@code User:} of AccessDenied
 *     messages: the session ARN for role sessions, or a service principal name
 * @param principalArn {@code aws:PrincipalArn}: equal to {@code callerArn} except for role
 *     sessions, where it is the role ARN (with path)
 * @param principalAccount {@code aws:PrincipalAccount}, 12 digits
 * @param principalType root, user, role session or service
 * @param username {@code aws:username}; IAM users only, otherwise null
 * @param principalTags {@code aws:PrincipalTag/<k>}
 * @param sourceIp {@code aws:SourceIp} as an IPv4 or IPv6 literal, or null if unknown
 * @param currentTime {@code aws:CurrentTime} / {@code aws:EpochTime}
 * @param secureTransport {@code aws:SecureTransport}
 * @param action the action checked, canonical spelling such as {@code ecr:BatchGetImage}
 * @param resource a repository ARN or the literal {@code *}
 * @param resourceTags tags of the repository ({@code aws:ResourceTag/<k>}); for
 *     {@code CreateRepository} the tags of the request
 * @param otherKeys any other condition keys
 * @see "spec iam-policy.md §6"
 */
public record RequestContext(
        String callerArn,
        String principalArn,
        String principalAccount,
        PrincipalType principalType,
        String username,
        Map<String, String> principalTags,
        String sourceIp,
        Instant currentTime,
        boolean secureTransport,
        String action,
        String resource,
        Map<String, String> resourceTags,
        Map<String, ContextValue> otherKeys) {

    /** Validates and normalizes (lower-cases tag keys and other key names). */
    public RequestContext {
        Objects.requireNonNull(callerArn, "callerArn");
        Objects.requireNonNull(principalArn, "principalArn");
        Objects.requireNonNull(principalAccount, "principalAccount");
        Objects.requireNonNull(principalType, "principalType");
        Objects.requireNonNull(currentTime, "currentTime");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        principalTags = lowerKeys(principalTags);
        resourceTags = lowerKeys(resourceTags);
        otherKeys = lowerKeys(otherKeys);
    }

    /** The same caller and keys, checking another action on another resource (with its tags). */
    public RequestContext withTarget(String action, String resource, Map<String, String> resourceTags) {
        return new RequestContext(callerArn, principalArn, principalAccount, principalType, username,
                principalTags, sourceIp, currentTime, secureTransport, action, resource, resourceTags, otherKeys);
    }

    /** The same request with another action (same resource and tags). */
    public RequestContext withAction(String action) {
        return withTarget(action, resource, resourceTags);
    }

    /** True when the caller is the root user of {@code account}. */
    public boolean isRootOf(String account) {
        return principalType == PrincipalType.ACCOUNT && principalAccount.equals(account);
    }

    /** {@code arn:<partition>:iam::<account>:root} of the caller's account. */
    public String accountRootArn() {
        return "arn:" + partitionOf(principalArn) + ":iam::" + principalAccount + ":root";
    }

    /** A builder for an IAM user, e.g. {@code arn:aws:iam::123456789012:user/team/alice}. */
    public static Builder user(String userArn) {
        String name = userArn.substring(userArn.lastIndexOf('/') + 1);
        return new Builder(userArn, userArn, accountOf(userArn), PrincipalType.USER).username(name);
    }

    /** A builder for a role session; {@code roleArn} includes the role's path. */
    public static Builder roleSession(String sessionArn, String roleArn) {
        return new Builder(sessionArn, roleArn, accountOf(sessionArn), PrincipalType.ASSUMED_ROLE);
    }

    /** A builder for the root user of {@code account} in the {@code aws} partition. */
    public static Builder root(String account) {
        String arn = "arn:aws:iam::" + account + ":root";
        return new Builder(arn, arn, account, PrincipalType.ACCOUNT);
    }

    /** A builder for a service principal such as {@code replication.ecr.amazonaws.com}. */
    public static Builder service(String servicePrincipal, String account) {
        return new Builder(servicePrincipal, servicePrincipal, account, PrincipalType.SERVICE);
    }

    static String accountOf(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn")) {
            throw new IllegalArgumentException("not an ARN: " + arn);
        }
        return parts[4];
    }

    private static String partitionOf(String arn) {
        int first = arn.indexOf(':');
        int second = first < 0 ? -1 : arn.indexOf(':', first + 1);
        return second < 0 ? "aws" : arn.substring(first + 1, second);
    }

    private static <V> Map<String, V> lowerKeys(Map<String, V> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        boolean lower = true;
        for (String key : map.keySet()) {
            if (!key.equals(key.toLowerCase(Locale.ROOT))) {
                lower = false;
                break;
            }
        }
        if (lower) {
            return Map.copyOf(map);
        }
        Map<String, V> copy = new HashMap<>();
        map.forEach((k, v) -> copy.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        return Map.copyOf(copy);
    }

    /**
     * Collects the optional parts of a {@link RequestContext}. Not thread-safe; use once per
     * request.
     */
    public static final class Builder {
        private final String callerArn;
        private final String principalArn;
        private final String principalAccount;
        private final PrincipalType principalType;
        private String username;
        private Map<String, String> principalTags = Map.of();
        private String sourceIp;
        private Instant currentTime;
        private boolean secureTransport;
        private String action;
        private String resource = "*";
        private Map<String, String> resourceTags = Map.of();
        private final Map<String, ContextValue> otherKeys = new HashMap<>();

        private Builder(String callerArn, String principalArn, String account, PrincipalType type) {
            this.callerArn = callerArn;
            this.principalArn = principalArn;
            this.principalAccount = account;
            this.principalType = type;
        }

        /** {@code aws:username} (set automatically for {@link RequestContext#user}). */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /** {@code aws:PrincipalTag/<k>}. */
        public Builder principalTags(Map<String, String> tags) {
            this.principalTags = tags;
            return this;
        }

        /** {@code aws:SourceIp}. */
        public Builder sourceIp(String ip) {
            this.sourceIp = ip;
            return this;
        }

        /** {@code aws:CurrentTime}; required. */
        public Builder currentTime(Instant time) {
            this.currentTime = time;
            return this;
        }

        /** {@code aws:SecureTransport}. */
        public Builder secureTransport(boolean tls) {
            this.secureTransport = tls;
            return this;
        }

        /** The action checked; required. */
        public Builder action(String action) {
            this.action = action;
            return this;
        }

        /** The request resource (repository ARN or {@code *}, the default). */
        public Builder resource(String resource) {
            this.resource = resource;
            return this;
        }

        /** Tags of the resource ({@code aws:ResourceTag/<k>}, {@code ecr:ResourceTag/<k>}). */
        public Builder resourceTags(Map<String, String> tags) {
            this.resourceTags = tags;
            return this;
        }

        /** Any other single-valued key. */
        public Builder put(String key, String value) {
            otherKeys.put(key, ContextValue.of(value));
            return this;
        }

        /** Any other multi-valued key, e.g. {@code aws:TagKeys}. */
        public Builder putMulti(String key, List<String> values) {
            otherKeys.put(key, ContextValue.multi(values));
            return this;
        }

        /** The context. */
        public RequestContext build() {
            return new RequestContext(callerArn, principalArn, principalAccount, principalType, username,
                    principalTags, sourceIp, currentTime, secureTransport, action, resource, resourceTags, otherKeys);
        }
    }
}
