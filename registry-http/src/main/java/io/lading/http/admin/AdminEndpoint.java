package io.lading.http.admin;

import io.lading.http.oci.OciErrorCode;
import io.lading.http.oci.OciErrorException;
import io.lading.http.server.Exchange;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One operator endpoint under {@code /_lading/}: its name (the path after the prefix), the one method it
 * serves, the query parameters it understands with their allowed values, and what it answers (a report
 * serialised as JSON). Requests naming a parameter that is not declared, repeating one, or giving a value
 * outside the allowed set are refused with {@code 400} before the handler runs, so a misspelt safety flag
 * ({@code ?dryrun=true}) never does the real thing.
 *
 * @param name the path after {@code /_lading/}, e.g. {@code gc}
 * @param method the method served; any other gets {@code 405}
 * @param params declared query parameters: name to allowed values (an empty set allows any value)
 * @param handler computes the JSON report from the (validated) exchange
 */
public record AdminEndpoint(String name, HttpMethod method, Map<String, Set<String>> params,
        Function<Exchange, Object> handler) {

    /** The values of a boolean flag. */
    public static final Set<String> BOOLEAN = Set.of("true", "false");

    public AdminEndpoint {
        params = Map.copyOf(params);
    }

    /** A {@code POST} task with one {@code dryRun=true|false} flag (default false). */
    public static AdminEndpoint dryRunTask(String name, Function<Boolean, Object> task) {
        return new AdminEndpoint(name, HttpMethod.POST, Map.of("dryRun", BOOLEAN),
                ex -> task.apply(Boolean.parseBoolean(ex.queryParam("dryRun"))));
    }

    /** A {@code GET} report without parameters. */
    public static AdminEndpoint report(String name, java.util.function.Supplier<Object> report) {
        return new AdminEndpoint(name, HttpMethod.GET, Map.of(), ex -> report.get());
    }

    /**
     * Checks a request's decoded query against the declared parameters.
     *
     * @throws OciErrorException {@code 400} naming the first unknown, repeated or invalid parameter
     */
    void validate(Map<String, List<String>> query) {
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            Set<String> allowed = params.get(e.getKey());
            if (allowed == null) {
                throw invalid("unknown query parameter '" + e.getKey() + "' for /_lading/" + name
                        + (params.isEmpty() ? " (it takes none)" : " (it takes " + String.join(", ",
                                new java.util.TreeSet<>(params.keySet())) + ")"));
            }
            if (e.getValue().size() != 1) {
                throw invalid("query parameter '" + e.getKey() + "' must be given once");
            }
            String value = e.getValue().get(0);
            if (!allowed.isEmpty() && !allowed.contains(value)) {
                throw invalid("query parameter '" + e.getKey() + "' must be one of "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ", not '" + value + "'");
            }
        }
    }

    private static OciErrorException invalid(String message) {
        return new OciErrorException(OciErrorCode.PARAMETER_INVALID.error(message, null));
    }
}
