package dev.streams.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * API key ids, secrets and the string a client presents ({@code stk_<id>_<secret>}).
 *
 * <p>A key's secret is derived from the server's master key and the key id, never stored: the store keeps
 * only its SHA-256. That satisfies both needs at once: a leaked key file reveals no secret, yet the server
 * can still verify HS256 JWTs that clients sign with the secret (as Golioth clients do).
 */
public final class KeySecrets {
    public static final String PREFIX = "stk_";
    private static final int ID_HEX_CHARS = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec master;

    public KeySecrets(byte[] masterKey) {
        if (masterKey.length < 32) {
            throw new IllegalArgumentException("the master key needs at least 32 bytes");
        }
        this.master = new SecretKeySpec(masterKey.clone(), "HmacSHA256");
    }

    public static String newId() {
        byte[] id = new byte[ID_HEX_CHARS / 2];
        RANDOM.nextBytes(id);
        return HEX.formatHex(id);
    }

    public String secretOf(String id) {
        return derive("streams-api-key:" + id);
    }

    /** A device credential's pre-shared key: never stored, derived again when the device connects. */
    public String devicePskOf(String id) {
        return derive("streams-device-psk:" + id);
    }

    private String derive(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(master);
            byte[] derived = mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(derived);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public static String presentable(String id, String secret) {
        return PREFIX + id + '_' + secret;
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Constant-time comparison of a presented secret against a stored hash. */
    public static boolean matches(String secret, byte[] storedHash) {
        return MessageDigest.isEqual(hash(secret), storedHash);
    }

    /** Whether a presented string has the shape of one of our API keys. */
    public static boolean looksLikeKey(String presented) {
        return presented.startsWith(PREFIX) && presented.length() > PREFIX.length() + ID_HEX_CHARS + 1
                && presented.charAt(PREFIX.length() + ID_HEX_CHARS) == '_';
    }

    /** The id part of a presented key; call only when {@link #looksLikeKey} is true. */
    public static String idOf(String presented) {
        return presented.substring(PREFIX.length(), PREFIX.length() + ID_HEX_CHARS);
    }

    /** The secret part of a presented key; call only when {@link #looksLikeKey} is true. */
    public static String secretPartOf(String presented) {
        return presented.substring(PREFIX.length() + ID_HEX_CHARS + 1);
    }
}
