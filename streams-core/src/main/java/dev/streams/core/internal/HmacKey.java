package dev.streams.core.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** One HS256 key; a {@link Mac} per thread because Mac is not thread-safe and costly to create. */
public final class HmacKey {
    private static final String ALGORITHM = "HmacSHA256";

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

    /** Compares in time independent of where the signatures differ. */
    public boolean verify(byte[] data, int length, byte[] signature) {
        return MessageDigest.isEqual(sign(data, length), signature);
    }

    @Override
    public String toString() {
        return "HmacKey[" + id + ", secret hidden]";
    }
}
