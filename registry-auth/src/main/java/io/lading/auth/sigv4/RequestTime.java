package io.lading.auth.sigv4;

import io.lading.core.error.RegistryException.AuthenticationFailed;
import io.lading.core.error.RegistryException.AuthenticationFailed.Kind;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * When the client says it signed the request: the {@code X-Amz-Date} header, or failing that the
 * {@code Date} header.
 *
 * @param instant the signing time
 * @param basic the time in ISO 8601 basic format ({@code 20150830T123600Z}), as the string to sign has it
 * @param header the lower-case name of the header it came from, which must be signed
 */
record RequestTime(Instant instant, String basic, String header) {

    static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    static RequestTime of(SignedRequest request) {
        List<String> amzDate = request.values("x-amz-date");
        if (!amzDate.isEmpty()) {
            return parse(single(amzDate, "X-Amz-Date"), "x-amz-date");
        }
        List<String> date = request.values("date");
        if (!date.isEmpty()) {
            return parse(single(date, "Date"), "date");
        }
        throw new AuthenticationFailed(Kind.MALFORMED,
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }

    /** The {@code yyyyMMdd} day, which must equal the credential scope's date. */
    String day() {
        return basic.substring(0, 8);
    }

    private static RequestTime parse(String value, String header) {
        try {
            Instant instant = LocalDateTime.parse(value, BASIC).toInstant(ZoneOffset.UTC);
            return new RequestTime(instant, value, header);
        } catch (DateTimeParseException notBasic) {
            if (header.equals("date")) {
                try {
                    Instant instant = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return new RequestTime(instant, BASIC.format(instant), header);
                } catch (DateTimeParseException notHttpDate) {
                    // fall through to the error below
                }
            }
            throw new AuthenticationFailed(Kind.MALFORMED,
                    "Date must be in ISO-8601 'basic format'. Got '" + value + "'.");
        }
    }

    private static String single(List<String> values, String name) {
        if (values.size() > 1) {
            throw new AuthenticationFailed(Kind.MALFORMED, "Only one '" + name + "' header is allowed.");
        }
        return values.get(0).strip();
    }
}
