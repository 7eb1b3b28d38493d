package dev.streams.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.streams.core.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared set-up for auth tests: a clock, signing helpers and the refusal assertion. */
abstract class AuthFixture {
    static final byte[] MASTER = "master-key-for-tests-0123456789abcdef".getBytes(UTF_8);
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

    static void assertRefused(ThrowingCallable call, AuthFailure failure) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AuthException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.failure()).isEqualTo(failure));
    }

    JWTClaimsSet.Builder claims(String issuer, Duration life) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(issuer).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(life)));
    }

    static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static String hs256(String secret, JWTClaimsSet claims) throws JOSEException {
        return sign(new MACSigner(secret.getBytes(UTF_8)), JWSAlgorithm.HS256, null, claims);
    }
}
