package dev.streams.auth;


/**
 * What a request carried that may prove who it is, as the transport found it. Any field may be null.
 *
 * @param authorization the {@code Authorization} header ({@code Bearer <api key or jwt>}, or a bare jwt)
 * @param apiKeyHeader  the {@code x-api-key} header
 * @param apiKeyQuery   the {@code x-api-key} query parameter
 * @param jwtQuery      the {@code jwt} query parameter (a Golioth JWT, a Streams token or an external JWT)
 */
public record Credentials(String authorization, String apiKeyHeader, String apiKeyQuery, String jwtQuery) {

    /** An {@code Authorization: Bearer} credential (an API key or a token). */
    public static Credentials bearer(String value) {
        return new Credentials("Bearer " + value, null, null, null);
    }

    /** An {@code x-api-key} header credential. */
    public static Credentials apiKey(String key) {
        return new Credentials(null, key, null, null);
    }

    /** No credential at all. */
    public static Credentials none() {
        return new Credentials(null, null, null, null);
    }

    /** Whether the request carried no credential at all (every field absent or blank). */
    public boolean isEmpty() {
        return blank(authorization) && blank(apiKeyHeader) && blank(apiKeyQuery) && blank(jwtQuery);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The authorization header without its optional {@code Bearer } prefix, or null. */
    String bearerValue() {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        String value = authorization.strip();
        // Only the scheme is compared without case: lower-casing the whole token cost a copy per request.
        if (value.equalsIgnoreCase("bearer")) {
            return null;
        }
        if (value.length() > 6 && value.regionMatches(true, 0, "bearer", 0, 6) && Character.isWhitespace(value.charAt(6))) {
            value = value.substring(7).strip();
        }
        return value.isEmpty() ? null : value;
    }
}
