package io.lading.http.ecr.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.auth.token.IssuedToken;
import io.lading.auth.token.RegistryTokens;
import io.lading.http.ecr.EcrCall;
import io.lading.http.ecr.EcrInput;
import io.lading.http.ecr.EcrJson;
import io.lading.http.ecr.EcrOperation;
import io.lading.http.ecr.EcrOperations;
import java.util.List;

/**
 * GetAuthorizationToken: a registry password for the caller, valid for the configured lifetime (12 h),
 * returned as base64 of {@code AWS:<password>} for {@code docker login --username AWS}. The token
 * authenticates the principal; it is not scoped to the listed registries (ecr-behaviour.md 3).
 */
public final class AuthOperations {

    private final RegistryTokens tokens;

    public AuthOperations(RegistryTokens tokens) {
        this.tokens = tokens;
    }

    public void register(EcrOperations table) {
        table.register(EcrOperation.GetAuthorizationToken, this::getAuthorizationToken);
    }

    private ObjectNode getAuthorizationToken(EcrCall call) {
        List<String> ids = call.input().strings("registryIds", 1, 10);
        if (ids != null) {
            for (String id : ids) {
                if (!id.matches("[0-9]{12}")) {
                    throw EcrInput.regex("registryIds", "[0-9]{12}");
                }
            }
        }
        IssuedToken token = tokens.issue(call.principal());
        ObjectNode out = EcrJson.object();
        ArrayNode data = out.putArray("authorizationData");
        int count = ids == null ? 1 : ids.size();
        for (int i = 0; i < count; i++) {
            data.addObject()
                    .put("authorizationToken", RegistryTokens.authorizationToken(token))
                    .put("expiresAt", EcrJson.epochSeconds(token.expiresAt()))
                    .put("proxyEndpoint", call.identity().proxyEndpoint());
        }
        return out;
    }
}
