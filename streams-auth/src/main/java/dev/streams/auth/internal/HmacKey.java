package dev.streams.auth.internal;

import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** One HS256 key; a {@link Mac} per thread because Mac is not thread-safe and costly to create. */
public final class HmacKey {
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final String id;
    private final SecretKeySpec secret;
    private final ThreadLocal<Mac> macs;

    public HmacKey(String id, byte[] secret) {
        this.id = id;
        this.secret = new SecretKeySpec(secret, ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public String id() {
        return id;
    }

    public byte[] sign(byte[] data, int length) {
        Mac mac = macs.get();
        mac.update(data, 0, length);
        return mac.doFinal();
    }

    /**
     * Whether {@code token[signingInputEnd + 1 ..]} is the base64url (unpadded) signature of
     * {@code token[0 .. signingInputEnd)}. Compared in encoded form, so only the canonical encoding passes, in
     * time independent of where they differ (the length is public: every HS256 signature encodes to 43 chars).
     */
    public boolean verifyEncoded(byte[] token, int signingInputEnd) {
        byte[] expected = B64.encode(sign(token, signingInputEnd));
        int offset = signingInputEnd + 1;
        if (token.length - offset != expected.length) {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < expected.length; i++) {
            difference |= expected[i] ^ token[offset + i];
        }
        return difference == 0;
    }

    @Override
    public String toString() {
        return "HmacKey[" + id + ", secret hidden]";
    }
}
