package dev.streams.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Trust in a host application's own identity provider: its issuer, optional audience, its public keys
 * (RS256, ES256 on P-256, or EdDSA on Ed25519; never HMAC) and the claims that carry project, scopes and
 * topics. A token's algorithm must match the type of the key that verifies it. Immutable.
 */
public final class ExternalJwt {
    private final String issuer;
    private final String audience;
    private final List<JWK> keys;
    private final String projectClaim;
    private final String scopesClaim;
    private final String topicsClaim;

    private ExternalJwt(Builder b) {
        this.issuer = Objects.requireNonNull(b.issuer, "issuer");
        this.audience = b.audience;
        this.keys = List.copyOf(b.keys);
        this.projectClaim = b.projectClaim;
        this.scopesClaim = b.scopesClaim;
        this.topicsClaim = b.topicsClaim;
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("an external JWT configuration needs at least one public key");
        }
    }

    /** Starts the settings of an external identity provider. */
    public static Builder builder() {
        return new Builder();
    }

    /** The {@code iss} the provider's tokens carry. */
    public String issuer() {
        return issuer;
    }

    /** The required {@code aud}, or null when audience is not checked. */
    public String audience() {
        return audience;
    }

    /** The provider's public keys (from its JWKS or PEM files). */
    public List<JWK> keys() {
        return keys;
    }

    /** The claim that names the project. */
    public String projectClaim() {
        return projectClaim;
    }

    /** The claim that lists the scopes. */
    public String scopesClaim() {
        return scopesClaim;
    }

    /** The claim that lists the topics and patterns. */
    public String topicsClaim() {
        return topicsClaim;
    }

    /** Builds {@link ExternalJwt}; issuer and at least one key are required. */
    public static final class Builder {
        private String issuer;
        private String audience;
        private final List<JWK> keys = new ArrayList<>();
        private String projectClaim = "project";
        private String scopesClaim = "scope";
        private String topicsClaim = "topics";

        private Builder() {
        }

        /** The exact {@code iss} of accepted tokens. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** Require this value in {@code aud}. */
        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** Trust the public keys of a JWK set (private parts are ignored). */
        public Builder jwks(JWKSet set) {
            for (JWK key : set.getKeys()) {
                JWK pub = key.toPublicJWK();
                if (pub != null) {
                    keys.add(pub);
                }
            }
            return this;
        }

        /** Trust the public keys of a JWKS file. */
        public Builder jwksFile(Path file) {
            try {
                return jwks(JWKSet.load(file.toFile()));
            } catch (IOException | ParseException e) {
                throw new IllegalArgumentException("cannot read JWKS file " + file, e);
            }
        }

        /** Trust one public key given as PEM ({@code -----BEGIN PUBLIC KEY-----}): RSA, EC P-256 or Ed25519. */
        public Builder publicKeyPem(String keyId, String pem) {
            String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            byte[] der = Base64.getDecoder().decode(body);
            for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
                try {
                    PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                    return publicKey(keyId, key, der);
                } catch (java.security.GeneralSecurityException notThisType) {
                    // try the next key type
                }
            }
            throw new IllegalArgumentException("unsupported public key in PEM for " + keyId);
        }

        private Builder publicKey(String keyId, PublicKey key, byte[] der) {
            if (key instanceof RSAPublicKey rsa) {
                keys.add(new RSAKey.Builder(rsa).keyID(keyId).build());
            } else if (key instanceof ECPublicKey ec) {
                keys.add(new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).keyID(keyId).build());
            } else if ("EdDSA".equals(key.getAlgorithm()) || "Ed25519".equals(key.getAlgorithm())) {
                // The raw key is the last 32 bytes of its X.509 encoding.
                byte[] x = Arrays.copyOfRange(der, der.length - 32, der.length);
                keys.add(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(keyId).build());
            } else {
                throw new IllegalArgumentException("unsupported public key type for " + keyId);
            }
            return this;
        }

        /** Claim naming the project (default {@code project}). */
        public Builder projectClaim(String name) {
            this.projectClaim = name;
            return this;
        }

        /** Claim with scopes, space-separated or an array (default {@code scope}). */
        public Builder scopesClaim(String name) {
            this.scopesClaim = name;
            return this;
        }

        /** Claim with topic patterns (default {@code topics}); without it the token covers every topic. */
        public Builder topicsClaim(String name) {
            this.topicsClaim = name;
            return this;
        }

        /** Builds the settings; throws IllegalArgumentException when the issuer or keys are missing. */
        public ExternalJwt build() {
            return new ExternalJwt(this);
        }
    }
}
