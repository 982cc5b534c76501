package io.lading.auth.sigv4;

import io.lading.core.error.RegistryException.AuthenticationFailed;
import io.lading.core.error.RegistryException.AuthenticationFailed.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The parsed value of a SigV4 {@code Authorization} header:
 * {@code AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, SignedHeaders=a;b,
 * Signature=<hex>}. Parsing accepts the spacing variants clients produce (no space or several spaces
 * after the commas) and checks only the shape; what the values must be is the verifier's business.
 */
record AuthorizationHeader(
        String accessKeyId,
        String scopeDate,
        String scopeRegion,
        String scopeService,
        String scopeTerminator,
        String signedHeaders,
        List<String> signedHeaderNames,
        String signature) {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern SCOPE_DATE = Pattern.compile("[0-9]{8}");

    static AuthorizationHeader parse(String value) {
        String trimmed = value.strip();
        if (!trimmed.startsWith(ALGORITHM)
                || trimmed.length() > ALGORITHM.length() && !Character.isWhitespace(trimmed.charAt(ALGORITHM.length()))) {
            throw malformed("Authorization header must use the " + ALGORITHM + " algorithm.");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : trimmed.substring(ALGORITHM.length()).split(",")) {
            String component = part.strip();
            int eq = component.indexOf('=');
            if (eq < 0) {
                if (component.isEmpty()) {
                    continue;
                }
                throw malformed("Authorization header component '" + component + "' is not of the form key=value.");
            }
            String key = component.substring(0, eq).strip();
            String val = component.substring(eq + 1).strip();
            switch (key) {
                case "Credential" -> credential = val;
                case "SignedHeaders" -> signedHeaders = val;
                case "Signature" -> signature = val;
                default -> { /* unknown components are ignored, as AWS does */ }
            }
        }
        StringBuilder missing = new StringBuilder();
        requirePresent(credential, "Credential", missing);
        requirePresent(signedHeaders, "SignedHeaders", missing);
        requirePresent(signature, "Signature", missing);
        if (!missing.isEmpty()) {
            throw malformed(missing.toString().strip());
        }
        if (!SIGNATURE.matcher(signature).matches()) {
            throw malformed("Signature must be 64 hexadecimal digits.");
        }
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || scope[0].isEmpty()) {
            throw malformed("Credential must have the form <AccessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request,"
                    + " got '" + credential + "'.");
        }
        if (!SCOPE_DATE.matcher(scope[1]).matches()) {
            throw malformed("Credential scope date must be yyyyMMdd, got '" + scope[1] + "'.");
        }
        List<String> names = new ArrayList<>();
        for (String name : signedHeaders.split(";", -1)) {
            if (name.isBlank()) {
                throw malformed("SignedHeaders must be a ';'-separated list of header names, got '" + signedHeaders + "'.");
            }
            names.add(name.strip().toLowerCase(Locale.ROOT));
        }
        return new AuthorizationHeader(scope[0], scope[1], scope[2], scope[3], scope[4], signedHeaders,
                List.copyOf(names), signature.toLowerCase(Locale.ROOT));
    }

    /** The credential scope exactly as the client signed it: {@code date/region/service/aws4_request}. */
    String scope() {
        return scopeDate + "/" + scopeRegion + "/" + scopeService + "/" + scopeTerminator;
    }

    boolean signs(String lowerCaseName) {
        return signedHeaderNames.contains(lowerCaseName);
    }

    private static void requirePresent(String value, String name, StringBuilder missing) {
        if (value == null || value.isEmpty()) {
            missing.append("Authorization header requires '").append(name).append("' parameter. ");
        }
    }

    private static AuthenticationFailed malformed(String message) {
        return new AuthenticationFailed(Kind.MALFORMED, message);
    }
}
