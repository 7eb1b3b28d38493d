package dev.streams.auth.internal;

import dev.streams.core.InvalidTopicException;
import dev.streams.auth.TokenError;
import dev.streams.auth.TokenException;
import dev.streams.core.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Streams token's claims, read member by member into what the token grants, without a map of all of them
 * first: this runs on every connection a token opens. Strict: a repeated claim, a topic pattern that breaks a
 * naming rule or text that is not one JSON object is MALFORMED. The times are the issuer's to check.
 *
 * @param project the {@code project} claim, or null when missing or not a string
 * @param topics  the {@code topics} claim's patterns, or null when missing or not a list
 * @param iat     {@code iat}, or null when missing or not an integer
 * @param exp     {@code exp}, or null when missing or not an integer
 * @param nbf     {@code nbf} as read (checked by the issuer), or null
 * @param extra   the other claims with a value, as an immutable map
 */
public record ParsedClaims(String project, List<String> topics, Long iat, Long exp, Object nbf,
                           Map<String, Object> extra) {
    /** Claim names an issuer sets itself; a claim's index here is its bit in {@link #parse}'s repeat check. */
    public static final List<String> RESERVED = List.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "project",
            "topics");

    /** Reads {@code json}, the decoded claims of a token whose signature has passed. */
    public static ParsedClaims parse(String json) {
        String project = null;
        List<String> topics = null;
        Long iat = null;
        Long exp = null;
        Object nbf = null;
        // Repeats among extra claims are found by a scan: a token carries a few, and only a token whose signature
        // passed (one its issuer made) gets here.
        List<String> extraNames = new ArrayList<>(4);
        List<Object> extraValues = new ArrayList<>(4);
        int reservedSeen = 0;
        try {
            CompactJson claims = CompactJson.objectReader(json);
            while (claims.nextMember()) {
                int reserved = reservedIndex(claims);
                if (reserved < 0) {
                    String name = claims.name();
                    if (extraNames.contains(name)) {
                        throw malformed("a claim appears twice");
                    }
                    extraNames.add(name);
                    extraValues.add(claims.nextValue());
                    continue;
                }
                if ((reservedSeen & (1 << reserved)) != 0) {
                    throw malformed("a claim appears twice");
                }
                reservedSeen |= 1 << reserved;
                Object value = claims.nextValue();
                switch (RESERVED.get(reserved)) {
                    case "project" -> project = value instanceof String p ? p : null;
                    case "topics" -> topics = topicsOf(value);
                    case "iat" -> iat = value instanceof Long l ? l : null;
                    case "exp" -> exp = value instanceof Long l ? l : null;
                    case "nbf" -> nbf = value;
                    default -> {
                        // iss, sub, aud, jti: read (they must be JSON) but not kept.
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw malformed("token part is not a JSON object");
        }
        return new ParsedClaims(project, topics, iat, exp, nbf, extraClaims(extraNames, extraValues));
    }

    /**
     * The extra claims with a value, as the immutable map TokenClaims keeps, built directly for the usual one or
     * two so that TokenClaims' own copy is the same map.
     */
    private static Map<String, Object> extraClaims(List<String> names, List<Object> values) {
        if (values.contains(null)) {
            for (int i = values.size() - 1; i >= 0; i--) {
                if (values.get(i) == null) {
                    names.remove(i);
                    values.remove(i);
                }
            }
        }
        switch (names.size()) {
            case 0:
                return Map.of();
            case 1:
                return Map.of(names.get(0), values.get(0));
            case 2:
                return Map.of(names.get(0), values.get(0), names.get(1), values.get(1));
            default:
                Map<String, Object> map = new HashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    map.put(names.get(i), values.get(i));
                }
                return map;
        }
    }

    /** The current claim's index in {@link #RESERVED}, or -1: compared where it lies, with no string made. */
    private static int reservedIndex(CompactJson claims) {
        for (int i = 0; i < RESERVED.size(); i++) {
            if (claims.nameIs(RESERVED.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The topic patterns of a {@code topics} claim, or null when it is not a list. */
    private static List<String> topicsOf(Object raw) {
        if (!(raw instanceof List<?> list)) {
            return null;
        }
        for (Object pattern : list) {
            if (!(pattern instanceof String p)) {
                throw malformed("topics must be strings");
            }
            try {
                Topics.requirePattern(p);
            } catch (InvalidTopicException e) {
                throw malformed("token holds an invalid topic pattern");
            }
        }
        @SuppressWarnings("unchecked") // every element was just checked to be a String
        List<String> topics = (List<String>) list;
        return List.copyOf(topics);
    }

    private static TokenException malformed(String why) {
        return new TokenException(TokenError.MALFORMED, why);
    }
}
