package dev.streams.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.core.ErrorKind;
import dev.streams.core.InvalidTopicException;
import dev.streams.core.MutableClock;
import dev.streams.core.StreamsException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TokenIssuerTest {
    private static final byte[] SECRET_1 = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);
    private static final byte[] SECRET_2 = "fedcba9876543210fedcba9876543210".getBytes(UTF_8);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final TokenIssuer issuer = TokenIssuer.builder().signingKey("k1", SECRET_1).clock(clock).build();

    private static void assertRefused(Runnable call, TokenError error) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TokenException.class,
                e -> assertThat(e.error()).isEqualTo(error));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(UTF_8));
    }

    private static String sign(String header, String claims, byte[] secret) throws Exception {
        String input = b64(header) + "." + b64(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(UTF_8)));
    }

    @Test
    void issuedTokenVerifiesWithItsClaims() {
        String token = issuer.issue("p", List.of("events", "devices.*.stream"), Duration.ofMinutes(5),
                Map.of("role", "viewer"));
        TokenClaims claims = issuer.verify(token);
        assertThat(claims.project()).isEqualTo("p");
        assertThat(claims.keyId()).isEqualTo("k1");
        assertThat(claims.topics()).containsExactly("events", "devices.*.stream");
        assertThat(claims.issuedAt()).isEqualTo(clock.instant());
        assertThat(claims.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(claims.extra()).containsEntry("role", "viewer");
    }

    @Test
    void headerIsAStandardHs256Jwt() {
        String header = new String(Base64.getUrlDecoder().decode(issuer.issue("p", List.of(">")).split("\\.")[0]), UTF_8);
        assertThat(header).isEqualTo("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
    }

    @Test
    void defaultTtlIsOneMinuteAndExpiryIsEnforcedWithLeeway() {
        String token = issuer.issue("p", List.of("t"));
        clock.advance(Duration.ofSeconds(64));
        assertThat(issuer.verify(token).project()).isEqualTo("p");
        clock.advance(Duration.ofSeconds(2));
        assertRefused(() -> issuer.verify(token), TokenError.EXPIRED);
        assertThat(TokenError.EXPIRED.kind()).isEqualTo(ErrorKind.EXPIRED);
    }

    @Test
    void tokensFromTheFutureAreNotYetValid() throws Exception {
        long now = clock.instant().getEpochSecond();
        String future = sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}",
                "{\"project\":\"p\",\"topics\":[\">\"],\"iat\":" + now + ",\"nbf\":" + (now + 60) + ",\"exp\":" + (now + 120) + "}",
                SECRET_1);
        assertRefused(() -> issuer.verify(future), TokenError.NOT_YET_VALID);
        clock.advance(Duration.ofSeconds(60));
        assertThat(issuer.verify(future).project()).isEqualTo("p");
    }

    @Test
    void anyChangedCharacterBreaksTheSignature() {
        String token = issuer.issue("p", List.of("t"));
        String[] parts = token.split("\\.");
        String otherClaims = b64(new String(Base64.getUrlDecoder().decode(parts[1]), UTF_8).replace("\"p\"", "\"q\""));
        assertRefused(() -> issuer.verify(parts[0] + "." + otherClaims + "." + parts[2]), TokenError.BAD_SIGNATURE);
        char last = parts[2].charAt(0);
        String flipped = (last == 'A' ? 'B' : 'A') + parts[2].substring(1);
        assertRefused(() -> issuer.verify(parts[0] + "." + parts[1] + "." + flipped), TokenError.BAD_SIGNATURE);
        assertRefused(() -> issuer.verify(parts[0] + "." + parts[1] + "."), TokenError.BAD_SIGNATURE);
    }

    @Test
    void algorithmIsFixedNeverTakenFromTheToken() throws Exception {
        long now = clock.instant().getEpochSecond();
        String claims = "{\"project\":\"p\",\"topics\":[\">\"],\"iat\":" + now + ",\"exp\":" + (now + 60) + "}";
        String none = b64("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + b64(claims) + ".";
        assertRefused(() -> issuer.verify(none), TokenError.MALFORMED);
        String hs512 = sign("{\"alg\":\"HS512\",\"kid\":\"k1\"}", claims, SECRET_1);
        assertRefused(() -> issuer.verify(hs512), TokenError.MALFORMED);
        String rs256 = sign("{\"alg\":\"RS256\",\"kid\":\"k1\"}", claims, SECRET_1);
        assertRefused(() -> issuer.verify(rs256), TokenError.MALFORMED);
    }

    @Test
    void unknownOrMissingKeyIdIsRefused() throws Exception {
        TokenIssuer other = TokenIssuer.builder().signingKey("k9", SECRET_2).clock(clock).build();
        assertRefused(() -> issuer.verify(other.issue("p", List.of("t"))), TokenError.UNKNOWN_KEY);
        long now = clock.instant().getEpochSecond();
        String noKid = sign("{\"alg\":\"HS256\"}", "{\"project\":\"p\",\"topics\":[\"t\"],\"iat\":" + now
                + ",\"exp\":" + (now + 60) + "}", SECRET_1);
        assertRefused(() -> issuer.verify(noKid), TokenError.UNKNOWN_KEY);
    }

    @Test
    void rotationKeepsOldTokensValidWhileNewOnesUseTheNewKey() {
        String oldToken = issuer.issue("p", List.of("t"));
        TokenIssuer rotated = TokenIssuer.builder().signingKey("k2", SECRET_2).verificationKey("k1", SECRET_1)
                .clock(clock).build();
        assertThat(rotated.verify(oldToken).keyId()).isEqualTo("k1");
        String newToken = rotated.issue("p", List.of("t"));
        assertThat(rotated.verify(newToken).keyId()).isEqualTo("k2");
        assertRefused(() -> issuer.verify(newToken), TokenError.UNKNOWN_KEY);
        TokenIssuer retired = TokenIssuer.builder().signingKey("k2", SECRET_2).clock(clock).build();
        assertRefused(() -> retired.verify(oldToken), TokenError.UNKNOWN_KEY);
    }

    @Test
    void garbageIsMalformed() throws Exception {
        for (String bad : new String[] {"", "abc", "a.b", "a.b.c.d", "!!!.###.$$$", "x".repeat(10_000)}) {
            assertRefused(() -> issuer.verify(bad), TokenError.MALFORMED);
        }
        assertRefused(() -> issuer.verify(null), TokenError.MALFORMED);
        long now = clock.instant().getEpochSecond();
        String noExp = sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{\"project\":\"p\",\"topics\":[\"t\"],\"iat\":" + now + "}", SECRET_1);
        assertRefused(() -> issuer.verify(noExp), TokenError.MALFORMED);
        String badTopic = sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{\"project\":\"p\",\"topics\":[\"a..b\"],\"iat\":"
                + now + ",\"exp\":" + (now + 9) + "}", SECRET_1);
        assertRefused(() -> issuer.verify(badTopic), TokenError.MALFORMED);
        String notJson = sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{\"project\":", SECRET_1);
        assertRefused(() -> issuer.verify(notJson), TokenError.MALFORMED);
    }

    @Test
    void repeatedClaimsAndNonCanonicalSignaturesAreRefused() throws Exception {
        long now = clock.instant().getEpochSecond();
        String header = "{\"alg\":\"HS256\",\"kid\":\"k1\"}";
        String valid = "\"topics\":[\"t\"],\"iat\":" + now + ",\"exp\":" + (now + 9);
        for (String claims : new String[] {"{\"project\":\"p\",\"project\":\"q\"," + valid + "}",
            "{\"project\":\"p\",\"role\":null,\"role\":\"admin\"," + valid + "}",
            "{\"project\":\"p\"," + valid + ",}", "{\"project\":\"p\"," + valid + "} x"}) {
            String token = sign(header, claims, SECRET_1);
            assertRefused(() -> issuer.verify(token), TokenError.MALFORMED);
        }
        TokenClaims nulls = issuer.verify(sign(header, "{\"project\":\"p\",\"role\":null," + valid + "}", SECRET_1));
        assertThat(nulls.extra()).isEmpty();
        // The same signature bytes with other unused low bits in the last character: refused, not accepted.
        String token = issuer.issue("p", List.of("t"));
        char last = token.charAt(token.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String sibling = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertThat(Base64.getUrlDecoder().decode(sibling.substring(sibling.lastIndexOf('.') + 1)))
                .isEqualTo(Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)));
        assertRefused(() -> issuer.verify(sibling), TokenError.BAD_SIGNATURE);
        assertRefused(() -> issuer.verify(token + "="), TokenError.BAD_SIGNATURE);
    }

    @Test
    void verifyIfRecognizedPassesOverOtherTokensAndVerifiesOurs() throws Exception {
        long now = clock.instant().getEpochSecond();
        String foreign = sign("{\"alg\":\"HS256\",\"kid\":\"elsewhere\"}", "{\"iss\":\"idp\"}", SECRET_2);
        assertThat(issuer.verifyIfRecognized(foreign)).isNull();
        assertThat(issuer.verifyIfRecognized("not a token")).isNull();
        assertThat(issuer.verifyIfRecognized(null)).isNull();
        assertThat(issuer.verifyIfRecognized(issuer.issue("p", List.of("t"))).project()).isEqualTo("p");
        String ours = issuer.issue("p", List.of("t"));
        assertRefused(() -> issuer.verifyIfRecognized(ours.substring(0, ours.length() - 2) + "AA"),
                TokenError.BAD_SIGNATURE);
        String expired = sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{\"project\":\"p\",\"topics\":[\"t\"],\"iat\":"
                + (now - 100) + ",\"exp\":" + (now - 50) + "}", SECRET_1);
        assertRefused(() -> issuer.verifyIfRecognized(expired), TokenError.EXPIRED);
    }

    @Test
    void claimsAnswerForbiddenTopicAndProject() {
        TokenClaims claims = issuer.verify(issuer.issue("p", List.of("events", "devices.*.stream")));
        claims.check("p", "events");
        claims.check("p", "devices.d1.stream");
        claims.check("p", "devices.*.stream");
        assertRefused(() -> claims.check("p", "other"), TokenError.FORBIDDEN_TOPIC);
        assertRefused(() -> claims.check("p", "devices.>"), TokenError.FORBIDDEN_TOPIC);
        assertRefused(() -> claims.check("q", "events"), TokenError.FORBIDDEN_PROJECT);
        TokenClaims any = issuer.verify(issuer.issue("p", List.of(">")));
        assertThat(any.allows("p", "anything.at.all")).isTrue();
        assertThat(any.allows("q", "anything")).isFalse();
    }

    @Test
    void issuingRefusesBadRequests() {
        assertThatThrownBy(() -> issuer.issue("p", List.of(), Duration.ofMinutes(1), Map.of()))
                .isInstanceOf(StreamsException.class);
        assertThatThrownBy(() -> issuer.issue("p", List.of("a..b"))).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> issuer.issue("p", List.of("t"), Duration.ofDays(2), Map.of()))
                .isInstanceOf(StreamsException.class);
        assertThatThrownBy(() -> issuer.issue("p", List.of("t"), Duration.ofMinutes(1), Map.of("exp", 1)))
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> TokenIssuer.builder().signingKey("k", new byte[16]).build())
                .isInstanceOf(StreamsException.class);
        assertThatThrownBy(() -> TokenIssuer.builder().build()).isInstanceOf(StreamsException.class);
    }

    @Test
    void keysNeverShowTheirSecret() {
        assertThat(issuer.toString()).doesNotContain("0123456789abcdef");
    }
}
