package io.lading.auth.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The signed content of a registry password, e.g.
 * {@code {"v":1,"a":"123456789012","k":"AKIAEXAMPLE","iat":1700000000,"exp":1700043200}}. Short keys
 * keep the password short: clients store it in config files and Kubernetes secrets.
 *
 * @param version format version, {@value #VERSION}
 * @param accountId the principal's account
 * @param accessKeyId the access key the principal authenticated with; must still exist at verification
 * @param issuedAt epoch seconds
 * @param expiresAt epoch seconds
 */
@JsonPropertyOrder({"v", "a", "k", "iat", "exp"})
record TokenPayload(
        @JsonProperty(value = "v", required = true) int version,
        @JsonProperty(value = "a", required = true) String accountId,
        @JsonProperty(value = "k", required = true) String accessKeyId,
        @JsonProperty(value = "iat", required = true) long issuedAt,
        @JsonProperty(value = "exp", required = true) long expiresAt) {

    static final int VERSION = 1;
}
