package dev.streams.auth;

import dev.streams.auth.internal.CompactJson;
import dev.streams.auth.internal.CompactJsonWriter;
import dev.streams.auth.internal.HmacKey;
import dev.streams.auth.internal.ParsedClaims;
import dev.streams.core.ErrorKind;
import dev.streams.core.StreamsException;
import dev.streams.core.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Issues and verifies short-lived Streams tokens: a browser gets one instead of an API key, good for one
 * project and some topic patterns. Tokens are JWS compact, HS256, with {@code kid}, {@code iat} and
 * {@code exp}, so any JWT library can read them. The algorithm is fixed here and never taken from a token.
 * One key signs; several may verify, so keys can be rotated without cutting off live tokens. Thread-safe.
 */
public final class TokenIssuer {
    /** The smallest secret accepted: HS256 wants at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;
    /** Longest token {@link #verify} reads; longer input is MALFORMED without further work. */
    public static final int MAX_TOKEN_CHARS = 8192;

    private static final String ISSUER = "streams";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HmacKey signingKey;
    private final Map<String, HmacKey> verificationKeys;
    private final Clock clock;
    private final Duration leeway;
    private final Duration defaultTtl;
    private final Duration maxTtl;

    private TokenIssuer(Builder b) {
        if (b.signingKeyId == null) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "a signing key is required");
        }
        this.verificationKeys = Map.copyOf(b.keys);
        this.signingKey = verificationKeys.get(b.signingKeyId);
        this.clock = b.clock;
        this.leeway = b.leeway;
        this.defaultTtl = b.defaultTtl;
        this.maxTtl = b.maxTtl;
    }

    /** Starts building an issuer; a signing key is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Issues a token for {@code topicPatterns} of {@code project} with the default TTL (one minute). */
    public String issue(String project, List<String> topicPatterns) {
        return issue(project, topicPatterns, defaultTtl, Map.of());
    }

    /**
     * Issues a token. Patterns must be valid ({@code >} grants every topic); {@code extra} claims must not use
     * a reserved name (iss, sub, aud, exp, nbf, iat, jti, project, topics).
     */
    public String issue(String project, List<String> topicPatterns, Duration ttl, Map<String, ?> extra) {
        Topics.requireProject(project);
        if (topicPatterns.isEmpty()) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "a token needs at least one topic pattern");
        }
        topicPatterns.forEach(Topics::requirePattern);
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(maxTtl) > 0) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "ttl must be positive and at most " + maxTtl);
        }
        for (String name : extra.keySet()) {
            if (ParsedClaims.RESERVED.contains(name)) {
                throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "claim '" + name + "' is reserved");
            }
        }
        long now = clock.instant().getEpochSecond();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "HS256");
        header.put("typ", "JWT");
        header.put("kid", signingKey.id());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("project", project);
        claims.put("topics", List.copyOf(topicPatterns));
        claims.put("iat", now);
        claims.put("exp", now + Math.max(1, ttl.toSeconds()));
        byte[] jti = new byte[12];
        RANDOM.nextBytes(jti);
        claims.put("jti", B64.encodeToString(jti));
        claims.putAll(extra);
        String signingInput = encode(CompactJsonWriter.write(header)) + '.' + encode(CompactJsonWriter.write(claims));
        byte[] input = signingInput.getBytes(StandardCharsets.US_ASCII);
        return signingInput + '.' + B64.encodeToString(signingKey.sign(input, input.length));
    }

    /**
     * Verifies signature and times and returns the claims, or throws {@link TokenException}. The token is read
     * in place: the header compared with the last accepted one, the signature compared in its encoded form (so
     * only the canonical encoding passes), and only the claims decoded and parsed, after the signature.
     */
    public TokenClaims verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            throw malformed("token is missing or too long");
        }
        int firstDot = token.indexOf('.');
        if (firstDot < 0) {
            throw malformed("not a compact JWS");
        }
        return verifySigned(token, keyIdOf(token, firstDot));
    }

    /**
     * {@link #verify} for a caller that accepts tokens of several kinds: null, rather than a refusal, when
     * {@link #recognizes} would say the token is not this issuer's, so that the caller tries its other verifiers;
     * otherwise the token is verified as {@link #verify} does, looking at its header once.
     */
    public TokenClaims verifyIfRecognized(String token) {
        String kid = recognizedKeyId(token);
        return kid == null ? null : verifySigned(token, kid);
    }

    /**
     * Whether {@code token} names one of this issuer's keys in a header this issuer accepts (HS256, no critical
     * parameters): a cheap look at the header only. Verifying is still {@link #verify}'s.
     */
    public boolean recognizes(String token) {
        return recognizedKeyId(token) != null;
    }

    private String recognizedKeyId(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return null;
        }
        int firstDot = token.indexOf('.');
        if (firstDot <= 0) {
            return null;
        }
        try {
            String kid = keyIdOf(token, firstDot);
            return verificationKeys.containsKey(kid) ? kid : null;
        } catch (TokenException | IllegalArgumentException notOurs) {
            return null;
        }
    }

    /** Everything after the header: the token's shape, its signature, then its claims. */
    private TokenClaims verifySigned(String token, String kid) {
        int firstDot = token.indexOf('.');
        int secondDot = token.indexOf('.', firstDot + 1);
        if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            throw malformed("not a compact JWS");
        }
        HmacKey key = verificationKeys.get(kid);
        if (key == null) {
            throw new TokenException(TokenError.UNKNOWN_KEY, "token is signed with an unknown key");
        }
        // A token is ASCII; ISO-8859-1 copies a Latin-1 string's bytes as they are, and anything else cannot pass
        // the signature, which covers the ASCII the issuer wrote.
        byte[] ascii = token.getBytes(StandardCharsets.ISO_8859_1);
        if (!key.verifyEncoded(ascii, secondDot)) {
            throw new TokenException(TokenError.BAD_SIGNATURE, "token signature does not match");
        }
        ByteBuffer claims;
        try {
            claims = B64D.decode(ByteBuffer.wrap(ascii, firstDot + 1, secondDot - firstDot - 1));
        } catch (IllegalArgumentException e) {
            throw malformed("token part is not base64url");
        }
        return claimsOf(kid, new String(claims.array(), 0, claims.remaining(), StandardCharsets.UTF_8));
    }

    /** A header segment and the key id it names, once it passed the header checks. */
    private record CheckedHeader(String segment, String kid) {
    }

    /** Tokens of one issuer share their header segment; the last one that passed is remembered. */
    private volatile CheckedHeader lastHeader;

    private String keyIdOf(String token, int headerEnd) {
        CheckedHeader cached = lastHeader;
        if (cached != null && cached.segment().length() == headerEnd
                && token.regionMatches(0, cached.segment(), 0, headerEnd)) {
            return cached.kid();
        }
        String segment = token.substring(0, headerEnd);
        Map<String, Object> header = json(new String(decode(segment), StandardCharsets.UTF_8));
        if (!"HS256".equals(header.get("alg"))) {
            throw malformed("only HS256 tokens are accepted");
        }
        if (header.containsKey("crit")) {
            throw malformed("critical header parameters are not supported");
        }
        if (!(header.get("kid") instanceof String kid)) {
            throw new TokenException(TokenError.UNKNOWN_KEY, "token names no key");
        }
        lastHeader = new CheckedHeader(segment, kid);
        return kid;
    }

    /** The claims, read once, checked against the clock: expiry, not-before and issue time, with the leeway. */
    private TokenClaims claimsOf(String kid, String json) {
        ParsedClaims claims = ParsedClaims.parse(json);
        if (claims.project() == null || claims.topics() == null || claims.exp() == null || claims.iat() == null) {
            throw malformed("token lacks project, topics, exp or iat");
        }
        long now = clock.instant().getEpochSecond();
        long slack = leeway.toSeconds();
        if (now > claims.exp() + slack) {
            throw new TokenException(TokenError.EXPIRED, "token expired");
        }
        Object nbf = claims.nbf();
        if (claims.iat() > now + slack || (nbf instanceof Long notBefore && notBefore > now + slack)) {
            throw new TokenException(TokenError.NOT_YET_VALID, "token is not valid yet");
        }
        if (nbf != null && !(nbf instanceof Long)) {
            throw malformed("nbf must be a number");
        }
        return new TokenClaims(kid, claims.project(), claims.topics(), Instant.ofEpochSecond(claims.iat()),
                Instant.ofEpochSecond(claims.exp()), claims.extra());
    }

    private static Map<String, Object> json(String text) {
        try {
            return CompactJson.parseObject(text);
        } catch (IllegalArgumentException e) {
            throw malformed("token part is not a JSON object");
        }
    }

    private static byte[] decode(String part) {
        try {
            return B64D.decode(part);
        } catch (IllegalArgumentException e) {
            throw malformed("token part is not base64url");
        }
    }

    private static String encode(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static TokenException malformed(String why) {
        return new TokenException(TokenError.MALFORMED, why);
    }

    /** Builds a {@link TokenIssuer}: one signing key is required. */
    public static final class Builder {
        private final Map<String, HmacKey> keys = new HashMap<>();
        private String signingKeyId;
        private Clock clock = Clock.systemUTC();
        private Duration leeway = Duration.ofSeconds(5);
        private Duration defaultTtl = Duration.ofMinutes(1);
        private Duration maxTtl = Duration.ofHours(24);

        private Builder() {
        }

        /** The key new tokens are signed with; it also verifies. */
        public Builder signingKey(String keyId, byte[] secret) {
            verificationKey(keyId, secret);
            this.signingKeyId = keyId;
            return this;
        }

        /** A key that only verifies (for example the previous signing key during a rotation). */
        public Builder verificationKey(String keyId, byte[] secret) {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(secret, "secret");
            if (keyId.isEmpty() || secret.length < MIN_SECRET_BYTES) {
                throw new StreamsException(ErrorKind.INVALID_ARGUMENT,
                        "key id must not be empty and secrets need at least " + MIN_SECRET_BYTES + " bytes");
            }
            keys.put(keyId, new HmacKey(keyId, secret.clone()));
            return this;
        }

        /** The clock for issue and expiry times (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Clock skew tolerated on exp, nbf and iat (default 5 s). */
        public Builder leeway(Duration leeway) {
            this.leeway = Objects.requireNonNull(leeway, "leeway");
            return this;
        }

        /** TTL of {@link TokenIssuer#issue(String, List)} (default one minute, as m3o). */
        public Builder defaultTtl(Duration ttl) {
            this.defaultTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** Longest TTL a token may be issued with (default 24 h). */
        public Builder maxTtl(Duration ttl) {
            this.maxTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** Builds the issuer. */
        public TokenIssuer build() {
            return new TokenIssuer(this);
        }
    }
}
