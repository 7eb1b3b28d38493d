package dev.streams.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JWTs from a host application's identity provider: fixed algorithms, key-type match, issuer and audience. */
class ExternalJwtTest extends AuthFixture {
    private static final String IDP = "https://idp.example";
    private final RSAKey rsa = generate(() -> new RSAKeyGenerator(2048).keyID("rsa-1").generate());
    private final ECKey ec = generate(() -> new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate());
    private final JdkEd25519Signer edSigner = generate(JdkEd25519Signer::new);
    private final OctetKeyPair ed = edSigner.publicJwk("ed-1");

    interface KeyMaker<T> {
        T make() throws Exception;
    }

    private static <T> T generate(KeyMaker<T> maker) {
        try {
            return maker.make();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private StreamsAuth authTrusting(ExternalJwt external) {
        return StreamsAuth.builder().masterKey(MASTER).clock(clock).externalJwt(external).build();
    }

    private JWTClaimsSet.Builder idpClaims() {
        return claims(IDP, Duration.ofMinutes(5)).subject("user-7").audience("streams").claim("project", "alpha")
                .claim("scope", "subscribe publish").claim("topics", List.of("rooms.>"));
    }

    @Test
    void rsEsAndEdDsaTokensMapToPrincipals(@TempDir Path dir) throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(List.of(rsa.toPublicJWK(), ed.toPublicJWK())).toString());
        String ecPem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ec.toECPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        StreamsAuth auth = authTrusting(ExternalJwt.builder().issuer(IDP).audience("streams").jwksFile(jwks)
                .publicKeyPem("ec-1", ecPem).build());

        for (String token : List.of(
                sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", idpClaims().build()),
                sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", idpClaims().build()),
                sign(edSigner, JWSAlgorithm.EdDSA, "ed-1", idpClaims().build()))) {
            Principal who = auth.authenticate(Credentials.bearer(token));
            assertThat(who.kind()).isEqualTo(Principal.Kind.EXTERNAL_JWT);
            assertThat(who.subject()).isEqualTo("user-7");
            assertThat(who.project()).isEqualTo("alpha");
            assertThat(who.scopes()).containsExactlyInAnyOrder(Scope.SUBSCRIBE, Scope.PUBLISH);
            assertThat(who.topics()).containsExactly("rooms.>");
            // History reads what it may subscribe to: rooms, and no device data.
            assertThat(auth.readableTopics(who, "alpha", "rooms.*")).containsExactly("rooms.*");
            assertRefused(() -> auth.readableTopics(who, "alpha", "devices.*.stream"), AuthFailure.FORBIDDEN_TOPIC);
            auth.checkPublish(who, "alpha", "rooms.lobby");
            assertRefused(() -> auth.checkPublish(who, "alpha", "admin"), AuthFailure.FORBIDDEN_TOPIC);
        }
    }

    @Test
    void ed25519PemKeysAreReadToo() throws Exception {
        byte[] spki = edSigner.publicKeyDer();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(spki) + "\n-----END PUBLIC KEY-----";
        StreamsAuth auth = authTrusting(ExternalJwt.builder().issuer(IDP).publicKeyPem("ed-1", pem).build());
        String token = sign(edSigner, JWSAlgorithm.EdDSA, "ed-1", idpClaims().build());
        assertThat(auth.authenticate(Credentials.bearer(token)).project()).isEqualTo("alpha");
    }

    @Test
    void refusals() throws Exception {
        StreamsAuth auth = authTrusting(ExternalJwt.builder().issuer(IDP).audience("streams")
                .jwks(new JWKSet(List.of(rsa, ec))).build());
        String wrongAudience = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", idpClaims().audience("other").build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(wrongAudience)), AuthFailure.WRONG_AUDIENCE);

        // Algorithm confusion: an HS256 token "signed" with the RSA public key as the HMAC secret.
        byte[] publicBytes = rsa.toRSAPublicKey().getEncoded();
        String confused = sign(new MACSigner(publicBytes), JWSAlgorithm.HS256, "rsa-1", idpClaims().build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(confused)), AuthFailure.ALGORITHM_NOT_ALLOWED);

        String mismatched = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "ec-1", idpClaims().build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(mismatched)), AuthFailure.ALGORITHM_NOT_ALLOWED);

        String unknownKid = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-9", idpClaims().build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(unknownKid)), AuthFailure.UNKNOWN_KEY);

        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        String forged = sign(new RSASSASigner(stranger), JWSAlgorithm.RS256, "rsa-1", idpClaims().build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(forged)), AuthFailure.BAD_SIGNATURE);

        String expired = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1",
                new JWTClaimsSet.Builder(idpClaims().build()).expirationTime(java.util.Date.from(clock.instant().minusSeconds(60))).build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(expired)), AuthFailure.EXPIRED);

        String noExp = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1",
                new JWTClaimsSet.Builder(idpClaims().build()).expirationTime(null).build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(noExp)), AuthFailure.MALFORMED_CREDENTIAL);

        String noProject = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1",
                new JWTClaimsSet.Builder(idpClaims().build()).claim("project", null).build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(noProject)), AuthFailure.MALFORMED_CREDENTIAL);

        String otherIssuer = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1",
                new JWTClaimsSet.Builder(idpClaims().build()).issuer("https://evil.example").build());
        // An issuer that is neither configured nor an API key id is simply unknown.
        assertRefused(() -> auth.authenticate(Credentials.bearer(otherIssuer)), AuthFailure.UNKNOWN_KEY);
    }

    @Test
    void withoutScopesAnExternalTokenMayDoNothing() throws Exception {
        StreamsAuth auth = authTrusting(ExternalJwt.builder().issuer(IDP).jwks(new JWKSet(rsa)).build());
        String token = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1",
                new JWTClaimsSet.Builder(idpClaims().build()).claim("scope", null).claim("topics", null).build());
        Principal who = auth.authenticate(Credentials.bearer(token));
        assertThat(who.scopes()).isEmpty();
        assertThat(who.topics()).containsExactly(">");
        assertRefused(() -> auth.checkSubscribe(who, "alpha", "x"), AuthFailure.MISSING_SCOPE);
    }
}
