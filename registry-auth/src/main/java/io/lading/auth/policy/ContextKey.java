package io.lading.auth.policy;

import java.util.Locale;

/**
 * A condition key or policy-variable name, resolved once at parse time to where its value lives
 * in a {@link RequestContext} (spec §6). Names are case-insensitive, including the tag-key part of
 * {@code aws:ResourceTag/<k>}, {@code ecr:ResourceTag/<k>} and {@code aws:PrincipalTag/<k>}.
 *
 * <p>{@link #lookup} returns {@code null} (absent), a {@link String}, a {@link java.util.List} of
 * strings (multi-valued), an {@link java.time.Instant} ({@code aws:CurrentTime}), a {@link Long}
 * ({@code aws:EpochTime}) or a {@link Boolean}; {@link ConditionValues} converts as each operator
 * needs. Immutable and thread-safe.
 */
final class ContextKey {

    private enum Source {
        PRINCIPAL_ARN, PRINCIPAL_ACCOUNT, PRINCIPAL_TYPE, USERNAME, PRINCIPAL_TAG, SOURCE_IP,
        SECURE_TRANSPORT, CURRENT_TIME, EPOCH_TIME, RESOURCE_ACCOUNT, RESOURCE_TAG, IS_SERVICE, OTHER
    }

    private final String name;
    private final Source source;
    /** Lower-cased tag key or, for {@code OTHER}, the lower-cased key name. */
    private final String detail;

    private ContextKey(String name, Source source, String detail) {
        this.name = name;
        this.source = source;
        this.detail = detail;
    }

    /** Compiles a key name as written in a policy. */
    static ContextKey of(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "aws:principalarn" -> new ContextKey(name, Source.PRINCIPAL_ARN, null);
            case "aws:principalaccount" -> new ContextKey(name, Source.PRINCIPAL_ACCOUNT, null);
            case "aws:principaltype" -> new ContextKey(name, Source.PRINCIPAL_TYPE, null);
            case "aws:username" -> new ContextKey(name, Source.USERNAME, null);
            case "aws:sourceip" -> new ContextKey(name, Source.SOURCE_IP, null);
            case "aws:securetransport" -> new ContextKey(name, Source.SECURE_TRANSPORT, null);
            case "aws:currenttime" -> new ContextKey(name, Source.CURRENT_TIME, null);
            case "aws:epochtime" -> new ContextKey(name, Source.EPOCH_TIME, null);
            case "aws:resourceaccount" -> new ContextKey(name, Source.RESOURCE_ACCOUNT, null);
            case "aws:principalisawsservice" -> new ContextKey(name, Source.IS_SERVICE, null);
            default -> tagOrOther(name, lower);
        };
    }

    private static ContextKey tagOrOther(String name, String lower) {
        if (lower.startsWith("aws:principaltag/")) {
            return new ContextKey(name, Source.PRINCIPAL_TAG, lower.substring("aws:principaltag/".length()));
        }
        if (lower.startsWith("aws:resourcetag/")) {
            return new ContextKey(name, Source.RESOURCE_TAG, lower.substring("aws:resourcetag/".length()));
        }
        if (lower.startsWith("ecr:resourcetag/")) {
            return new ContextKey(name, Source.RESOURCE_TAG, lower.substring("ecr:resourcetag/".length()));
        }
        return new ContextKey(name, Source.OTHER, lower);
    }

    /** The value of this key in {@code ctx}, or null when absent. */
    Object lookup(RequestContext ctx) {
        return switch (source) {
            case PRINCIPAL_ARN -> ctx.principalArn();
            case PRINCIPAL_ACCOUNT -> ctx.principalAccount();
            case PRINCIPAL_TYPE -> ctx.principalType().contextValue();
            case USERNAME -> ctx.username();
            case PRINCIPAL_TAG -> ctx.principalTags().get(detail);
            case SOURCE_IP -> ctx.sourceIp();
            case SECURE_TRANSPORT -> ctx.secureTransport() ? Boolean.TRUE : Boolean.FALSE;
            case CURRENT_TIME -> ctx.currentTime();
            case EPOCH_TIME -> ctx.currentTime().getEpochSecond();
            case RESOURCE_ACCOUNT -> resourceAccount(ctx.resource());
            case RESOURCE_TAG -> ctx.resource().equals("*") ? null : ctx.resourceTags().get(detail);
            case IS_SERVICE -> ctx.principalType() == PrincipalType.SERVICE ? Boolean.TRUE : Boolean.FALSE;
            case OTHER -> switch (ctx.otherKeys().get(detail)) {
                case null -> null;
                case ContextValue.Single s -> s.value();
                case ContextValue.Multi m -> m.values();
            };
        };
    }

    private static String resourceAccount(String resource) {
        if (!resource.startsWith("arn:")) {
            return null;
        }
        int from = 0;
        for (int i = 0; i < 4; i++) {
            from = resource.indexOf(':', from) + 1;
            if (from == 0) {
                return null;
            }
        }
        int end = resource.indexOf(':', from);
        return end < 0 ? null : resource.substring(from, end);
    }

    @Override
    public String toString() {
        return name;
    }
}
