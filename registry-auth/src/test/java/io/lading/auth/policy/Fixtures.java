package io.lading.auth.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The fixtures of spec §16: account, repository, principals and default context. */
final class Fixtures {

    static final String ACCOUNT = "123456789012";
    static final String OTHER_ACCOUNT = "210987654321";
    static final String REPO = repo("team/app");
    static final Map<String, String> REPO_TAGS = Map.of("env", "prod", "team", "payments");
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final String IDALL =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}]}";

    private Fixtures() {
    }

    static String repo(String name) {
        return "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/" + name;
    }

    static RequestContext.Builder alice() {
        return defaults(RequestContext.user("arn:aws:iam::123456789012:user/alice")
                .principalTags(Map.of("team", "payments")));
    }

    static RequestContext.Builder carol() {
        return defaults(RequestContext.user("arn:aws:iam::123456789012:user/carol"));
    }

    static RequestContext.Builder dave() {
        return defaults(RequestContext.user("arn:aws:iam::123456789012:user/dave").principalTags(Map.of("team", "search")));
    }

    static RequestContext.Builder ci() {
        return defaults(RequestContext.roleSession("arn:aws:sts::123456789012:assumed-role/ci-builder/build-42",
                "arn:aws:iam::123456789012:role/ci-builder"));
    }

    static RequestContext.Builder bob() {
        return defaults(RequestContext.user("arn:aws:iam::210987654321:user/bob"));
    }

    static RequestContext.Builder root() {
        return defaults(RequestContext.root(ACCOUNT));
    }

    private static RequestContext.Builder defaults(RequestContext.Builder b) {
        return b.sourceIp("203.0.113.10").secureTransport(true).currentTime(NOW).resource(REPO).resourceTags(REPO_TAGS);
    }

    /** The context of {@code b} for {@code action} on REPO with REPO's tags. */
    static RequestContext on(RequestContext.Builder b, String action) {
        return b.action(action).build();
    }

    static PolicyDocument identity(String json) {
        return PolicyDocument.parse(json, PolicyKind.IDENTITY);
    }

    static PolicyDocument repositoryPolicy(String json) {
        return PolicyDocument.parse(json, PolicyKind.REPOSITORY);
    }

    static PolicyDocument registryPolicy(String json) {
        return PolicyDocument.parse(json, PolicyKind.REGISTRY);
    }

    /** A 2012-10-17 identity policy of the given statements (JSON objects). */
    static PolicyDocument identityOf(String... statements) {
        return identity("{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}");
    }

    /** {@code {"Effect":..,"Action":..,"Resource":..[,"Condition":..]}} with JSON fragments. */
    static String stmt(String effect, String action, String resource, String condition) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":" + action + ",\"Resource\":" + resource
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    static String q(String s) {
        return "\"" + s + "\"";
    }

    static AttachedPolicies policies(List<PolicyDocument> identity, PolicyDocument repository, PolicyDocument registry) {
        return new AttachedPolicies(identity, repository, registry, RegistryPolicyScope.V2, ACCOUNT);
    }

    static AttachedPolicies identityOnly(PolicyDocument... identity) {
        return policies(List.of(identity), null, null);
    }
}
