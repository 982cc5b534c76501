package io.lading.http.ecr;

import io.lading.core.repository.RepositoryName;

/**
 * How this registry names itself in ARNs and URIs (ecr-behaviour.md 1.3).
 *
 * @param partition ARN partition, normally {@code aws}
 * @param region the configured region
 * @param host the registry host (and port) clients use, e.g. {@code 127.0.0.1:5000}
 * @param scheme {@code http} or {@code https}, for {@code proxyEndpoint}
 * @param account the account owning this registry ({@code auth.accountId}): the registry id of every
 *     repository, whichever account the caller belongs to
 */
public record RegistryIdentity(String partition, String region, String host, String scheme, String account) {

    public String repositoryArn(String registryId, RepositoryName name) {
        return "arn:" + partition + ":ecr:" + region + ":" + registryId + ":repository/" + name;
    }

    public String repositoryUri(RepositoryName name) {
        return host + "/" + name;
    }

    public String proxyEndpoint() {
        return scheme + "://" + host;
    }

    /**
     * The same identity seen through the host a request named (its {@code Host} header), used when no
     * {@code server.publicUrl} is configured:
     * <ul>
     *   <li>AWS's own ECR API host ({@code api.ecr.<region>.amazonaws.com} or {@code ecr.<region>...},
     *       reached by pointing that name at Lading, which is how the Amazon ECR credential helper and
     *       kubelet's credential provider are used with it): the registry is
     *       {@code https://<account>.dkr.ecr.<region>.amazonaws.com}, the shape ECR answers and those
     *       tools require of {@code proxyEndpoint} (they refuse the API host itself);
     *   <li>any other well-formed {@code host[:port]}: that host, with this identity's scheme;
     *   <li>anything else (not a host name): this identity unchanged.
     * </ul>
     */
    public RegistryIdentity withHost(String requestHost) {
        java.util.regex.Matcher api = AWS_API_HOST.matcher(requestHost);
        if (api.matches()) {
            String suffix = api.group(3) == null ? "" : api.group(3);
            return new RegistryIdentity(partition, region, account + ".dkr.ecr" + (api.group(1) == null ? "" : "-fips")
                    + "." + api.group(2) + ".amazonaws.com" + suffix, "https", account);
        }
        if (!HOST_AND_PORT.matcher(requestHost).matches()) {
            return this;
        }
        return new RegistryIdentity(partition, region, requestHost, scheme, account);
    }

    /** {@code api.ecr.<region>.amazonaws.com} and {@code ecr.<region>.amazonaws.com}, FIPS and China too. */
    private static final java.util.regex.Pattern AWS_API_HOST = java.util.regex.Pattern.compile(
            "(?:api\\.)?ecr(-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?(?::443)?", java.util.regex.Pattern.CASE_INSENSITIVE);
    /** A DNS name or IPv4 literal, or a bracketed IPv6 literal, with an optional port. */
    private static final java.util.regex.Pattern HOST_AND_PORT = java.util.regex.Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?");
}
