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

    /** The same identity seen through another host name (the request's {@code Host} header). */
    public RegistryIdentity withHost(String requestHost) {
        return new RegistryIdentity(partition, region, requestHost, scheme, account);
    }
}
