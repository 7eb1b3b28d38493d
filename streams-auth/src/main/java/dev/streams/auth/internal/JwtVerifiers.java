package dev.streams.auth.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.streams.auth.AuthException;
import dev.streams.auth.AuthFailure;
import dev.streams.auth.ExternalJwt;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Signature and time checks for the two kinds of JWT that are not Streams tokens. The accepted algorithm
 * is decided here from the kind of credential and the key, never from the token's header alone.
 */
public final class JwtVerifiers {
    private final Clock clock;
    private final Duration leeway;

    public JwtVerifiers(Clock clock, Duration leeway) {
        this.clock = clock;
        this.leeway = leeway;
    }

    /** A Golioth-style JWT: HS256 only, signed with the named API key's secret. */
    public JWTClaimsSet verifyKeyJwt(SignedJWT jwt, String secret) {
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new AuthException(AuthFailure.ALGORITHM_NOT_ALLOWED, "API key JWTs must be HS256");
        }
        try {
            verifySignature(jwt, new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new AuthException(AuthFailure.MALFORMED_CREDENTIAL, "cannot verify JWT");
        }
        return checkTimes(jwt);
    }

    /** A JWT from the configured identity provider, verified with the key its {@code kid} names. */
    public JWTClaimsSet verifyExternal(SignedJWT jwt, ExternalJwt config) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.ES256.equals(alg) && !JWSAlgorithm.EdDSA.equals(alg)) {
            throw new AuthException(AuthFailure.ALGORITHM_NOT_ALLOWED, "external JWTs must be RS256, ES256 or EdDSA");
        }
        JWK key = selectKey(config, jwt.getHeader().getKeyID(), alg);
        try {
            verifySignature(jwt, verifierFor(key));
        } catch (JOSEException e) {
            throw new AuthException(AuthFailure.MALFORMED_CREDENTIAL, "cannot verify JWT");
        }
        JWTClaimsSet claims = checkTimes(jwt);
        if (config.audience() != null && (claims.getAudience() == null || !claims.getAudience().contains(config.audience()))) {
            throw new AuthException(AuthFailure.WRONG_AUDIENCE, "JWT is not meant for this audience");
        }
        return claims;
    }

    private static JWK selectKey(ExternalJwt config, String kid, JWSAlgorithm alg) {
        JWK chosen = null;
        for (JWK key : config.keys()) {
            boolean fits = fits(key, alg);
            if (kid != null ? kid.equals(key.getKeyID()) : fits) {
                if (!fits) {
                    throw new AuthException(AuthFailure.ALGORITHM_NOT_ALLOWED, "JWT algorithm does not fit its key");
                }
                if (chosen != null) {
                    throw new AuthException(AuthFailure.UNKNOWN_KEY, "JWT names no key id and several keys fit");
                }
                chosen = key;
            }
        }
        if (chosen == null) {
            throw new AuthException(AuthFailure.UNKNOWN_KEY, "no trusted key for this JWT");
        }
        return chosen;
    }

    private static boolean fits(JWK key, JWSAlgorithm alg) {
        if (key instanceof RSAKey) {
            return JWSAlgorithm.RS256.equals(alg);
        }
        if (key instanceof ECKey ec) {
            return JWSAlgorithm.ES256.equals(alg) && Curve.P_256.equals(ec.getCurve());
        }
        if (key instanceof OctetKeyPair okp) {
            return JWSAlgorithm.EdDSA.equals(alg) && Curve.Ed25519.equals(okp.getCurve());
        }
        return false;
    }

    private static JWSVerifier verifierFor(JWK key) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (key instanceof ECKey ec) {
            return new ECDSAVerifier(ec);
        }
        return new JdkEd25519Verifier((OctetKeyPair) key);
    }

    private static void verifySignature(SignedJWT jwt, JWSVerifier verifier) throws JOSEException {
        if (!jwt.verify(verifier)) {
            throw new AuthException(AuthFailure.BAD_SIGNATURE, "JWT signature does not match");
        }
    }

    private JWTClaimsSet checkTimes(SignedJWT jwt) {
        JWTClaimsSet claims = claimsOf(jwt);
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new AuthException(AuthFailure.MALFORMED_CREDENTIAL, "JWT has no exp");
        }
        if (now.isAfter(exp.toInstant().plus(leeway))) {
            throw new AuthException(AuthFailure.EXPIRED, "JWT expired");
        }
        Date nbf = claims.getNotBeforeTime();
        Date iat = claims.getIssueTime();
        Instant latestAllowed = now.plus(leeway);
        if ((nbf != null && nbf.toInstant().isAfter(latestAllowed)) || (iat != null && iat.toInstant().isAfter(latestAllowed))) {
            throw new AuthException(AuthFailure.NOT_YET_VALID, "JWT is not valid yet");
        }
        return claims;
    }

    public static JWTClaimsSet claimsOf(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AuthException(AuthFailure.MALFORMED_CREDENTIAL, "JWT claims are not valid JSON");
        }
    }
}
