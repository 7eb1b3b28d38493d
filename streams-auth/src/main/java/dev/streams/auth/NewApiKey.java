package dev.streams.auth;

/**
 * A freshly created API key, the only time its secret is visible. Hand {@link #key()} to the client that
 * presents it as {@code x-api-key} or {@code Authorization: Bearer}; {@link #secret()} is what the client
 * signs Golioth-style JWTs with ({@code iss} = {@code key().id()}).
 */
public final class NewApiKey {
    private final ApiKey metadata;
    private final String key;
    private final String secret;

    /** A key just created: its stored form and the strings to hand to its owner once. */
    public NewApiKey(ApiKey metadata, String key, String secret) {
        this.metadata = metadata;
        this.key = key;
        this.secret = secret;
    }

    /** The key as stored (no secret). */
    public ApiKey metadata() {
        return metadata;
    }

    /** The full key string a client presents. */
    public String key() {
        return key;
    }

    /** The HS256 secret for JWTs that name this key as issuer. */
    public String secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "NewApiKey[" + metadata + ", secret hidden]";
    }
}
