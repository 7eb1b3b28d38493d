package dev.streams.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Set;

/** Signs EdDSA JWTs in tests with a JDK Ed25519 key, as an identity provider would. */
final class JdkEd25519Signer implements JWSSigner {
    private final KeyPair pair;

    JdkEd25519Signer() throws GeneralSecurityException {
        this.pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    byte[] publicKeyDer() {
        return pair.getPublic().getEncoded();
    }

    OctetKeyPair publicJwk(String kid) {
        byte[] der = publicKeyDer();
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(der, der.length - 32, der.length)))
                .keyID(kid).build();
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(pair.getPrivate());
            signer.update(signingInput);
            return Base64URL.encode(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new JOSEException("cannot sign", e);
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
        return new JCAContext();
    }
}
