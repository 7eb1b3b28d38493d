package dev.streams.auth;

import dev.streams.auth.internal.Authenticator;
import dev.streams.auth.internal.JwtVerifiers;
import dev.streams.auth.internal.KeySecrets;
import dev.streams.auth.internal.Permissions;
import dev.streams.core.StreamsException;
import dev.streams.auth.TokenIssuer;
import dev.streams.core.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The entry point of streams-auth: manages API keys, turns what a request carries into a {@link Principal},
 * and answers whether that principal may publish, subscribe, ingest or issue a token. Thread-safe.
 *
 * <pre>{@code
 * StreamsAuth auth = StreamsAuth.builder().masterKey(secret32Bytes).keyStore(ApiKeyStore.file(path)).build();
 * NewApiKey key = auth.createKey("demo", "gateway", EnumSet.allOf(Scope.class));
 * Principal who = auth.authenticate(Credentials.apiKey(key.key()));
 * auth.checkPublish(who, "demo", "events");
 * }</pre>
 */
public final class StreamsAuth {
    private final ApiKeyStore store;
    private final KeySecrets secrets;
    private final TokenIssuer tokens;
    private final Clock clock;
    private final Authenticator authenticator;
    private final DeviceCredentials devices;

    private StreamsAuth(Builder b) {
        this.store = b.store;
        this.secrets = new KeySecrets(b.masterKey);
        this.clock = b.clock;
        this.tokens = b.tokens != null ? b.tokens : TokenIssuer.builder()
                .signingKey("streams-1", secrets.secretOf("streams-token-key-1").getBytes(StandardCharsets.US_ASCII))
                .clock(b.clock).leeway(b.leeway).build();
        this.authenticator = new Authenticator(store, secrets, tokens, b.external, new JwtVerifiers(b.clock, b.leeway));
        this.devices = new DeviceCredentials(secrets, b.deviceStore, b.clock);
    }

    /** Starts building the auth of one server; the master key is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Creates a key for one project; its secret is in the result and nowhere else. */
    public NewApiKey createKey(String project, String name, Set<Scope> scopes) {
        Objects.requireNonNull(name, "name");
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one scope");
        }
        String id = KeySecrets.newId();
        String secret = secrets.secretOf(id);
        ApiKey key = new ApiKey(id, requireProject(project), name, scopes, KeySecrets.hash(secret), clock.instant(), null);
        store.save(key);
        return new NewApiKey(key, KeySecrets.presentable(id, secret), secret);
    }

    /**
     * Registers a key that was created elsewhere (for example on an earlier run), given the full key string
     * ({@code stk_<16 hex>_<secret>}). Only its hash is kept. It authenticates as an API key; JWTs signed
     * with its secret are accepted only if the secret was derived from this server's master key.
     */
    public ApiKey importKey(String project, String name, Set<Scope> scopes, String presentedKey) {
        if (presentedKey == null || !KeySecrets.looksLikeKey(presentedKey)
                || !KeySecrets.idOf(presentedKey).matches("[0-9a-f]{16}") || KeySecrets.secretPartOf(presentedKey).length() < 16) {
            throw new IllegalArgumentException("an API key looks like stk_<16 hex digits>_<secret of 16+ characters>");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one scope");
        }
        ApiKey key = new ApiKey(KeySecrets.idOf(presentedKey), requireProject(project), Objects.requireNonNull(name, "name"),
                scopes, KeySecrets.hash(KeySecrets.secretPartOf(presentedKey)), clock.instant(), null);
        store.save(key);
        return key;
    }

    /**
     * The full key string of a key this server created ({@link #createKey}) and has not revoked, derived again from
     * the master key, so that a host can reuse a key across restarts without keeping its secret anywhere: empty
     * for an unknown, revoked or imported key, or one of another project. Whoever holds the master key can derive
     * every key; this only saves the host doing so by hand.
     */
    public Optional<NewApiKey> recoverKey(String project, String id) {
        ApiKey key = store.find(id).orElse(null);
        if (key == null || key.isRevoked() || !key.project().equals(project)) {
            return Optional.empty();
        }
        String secret = secrets.secretOf(id);
        if (!KeySecrets.matches(secret, key.secretHash())) {
            return Optional.empty();
        }
        return Optional.of(new NewApiKey(key, KeySecrets.presentable(id, secret), secret));
    }

    /** The keys of one project, revoked ones included. */
    public List<ApiKey> listKeys(String project) {
        return store.list(project);
    }

    /** Revokes a key at once; returns false when there was no such active key. */
    public boolean revokeKey(String project, String id) {
        ApiKey key = store.find(id).orElse(null);
        if (key == null || key.isRevoked() || !key.project().equals(project)) {
            return false;
        }
        store.save(key.revoked(clock.instant()));
        return true;
    }

    /**
     * Authenticates by the first credential present, in this order: the Authorization header, the
     * {@code x-api-key} header, the {@code x-api-key} query parameter, the {@code jwt} query parameter.
     */
    public Principal authenticate(Credentials credentials) {
        String bearer = credentials.bearerValue();
        for (String candidate : new String[] {bearer, credentials.apiKeyHeader(), credentials.apiKeyQuery(),
            credentials.jwtQuery()}) {
            if (candidate != null && !candidate.isBlank()) {
                return authenticator.authenticate(candidate.strip());
            }
        }
        throw new AuthException(AuthFailure.MISSING_CREDENTIAL, "no credential");
    }

    /** May {@code who} publish to {@code topic}? Device topics ({@code devices.>}) need the ingest scope. */
    public void checkPublish(Principal who, String project, String topic) {
        Permissions.checkPublish(who, project, topic);
    }

    /** Throws AuthException unless {@code who} may subscribe to {@code topicOrPattern} in {@code project}. */
    public void checkSubscribe(Principal who, String project, String topicOrPattern) {
        Permissions.checkSubscribe(who, project, topicOrPattern);
    }

    /**
     * The part of {@code pattern} that {@code who} may read in {@code project}, as patterns (their union): for
     * queries of stored history, which must return only what the same credential could subscribe to. Throws
     * AuthException as {@link #checkSubscribe} does when it may read none of it.
     */
    public List<String> readableTopics(Principal who, String project, String pattern) {
        return Permissions.readableTopics(who, project, pattern);
    }

    /** Throws AuthException unless {@code who} may send data of device {@code deviceId} in {@code project}. */
    public void checkIngest(Principal who, String project, String deviceId) {
        Permissions.checkIngest(who, project, deviceId);
    }

    /**
     * Issues a Streams token for a browser: never wider than {@code who} (project, topics, scopes, lifetime).
     * With no scopes given the token may only subscribe.
     */
    public String issueToken(Principal who, String project, Collection<String> patterns, Duration ttl,
                             Set<Scope> scopes) {
        Set<Scope> granted = scopes.isEmpty() ? EnumSet.of(Scope.SUBSCRIBE) : scopes;
        Permissions.checkIssue(who, project, patterns, granted, ttl, clock.instant());
        List<String> names = granted.stream().map(Scope::wireName).sorted().collect(Collectors.toList());
        Map<String, Object> claims = new HashMap<>();
        claims.put(Permissions.SCOPES_CLAIM, names);
        claims.put(Permissions.ISSUED_BY_CLAIM, who.subject());
        if (who.apiKey() != null) {
            claims.put(Permissions.API_KEY_CLAIM, who.apiKey());
        }
        return tokens.issue(project, List.copyOf(patterns), ttl, claims);
    }

    /**
     * Whether {@code who}'s credential was revoked since it was authenticated: the API key it stands on (see
     * {@link Principal#apiKey()}) is revoked now. Transports ask this of their open sessions, so a revocation
     * ends what the credential opened; it costs one key store lookup.
     */
    public boolean isRevoked(Principal who) {
        String key = who.apiKey();
        return key != null && store.find(key).map(ApiKey::isRevoked).orElse(false);
    }

    /** The issuer behind {@link #issueToken}, for transports that verify tokens themselves. */
    public TokenIssuer tokenIssuer() {
        return tokens;
    }

    /** Devices' pre-shared keys (CoAP over DTLS): create, list, revoke, and what a handshake asks. */
    public DeviceCredentials devices() {
        return devices;
    }

    static String requireProject(String project) {
        try {
            Topics.requireProject(project);
        } catch (StreamsException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return project;
    }

    /** Builds {@link StreamsAuth}; the master key is required. */
    public static final class Builder {
        private byte[] masterKey;
        private ApiKeyStore store = ApiKeyStore.inMemory();
        private DeviceCredentialStore deviceStore = DeviceCredentialStore.inMemory();
        private TokenIssuer tokens;
        private ExternalJwt external;
        private Clock clock = Clock.systemUTC();
        private Duration leeway = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * The server secret (at least 32 bytes) from which every API key's secret and the default token
         * signing key are derived. Keep it out of the key store; losing it invalidates every key.
         */
        public Builder masterKey(byte[] key) {
            this.masterKey = key.clone();
            return this;
        }

        /** Where API keys are kept (default: in memory). */
        public Builder keyStore(ApiKeyStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Where devices' pre-shared key credentials are kept (default: in memory); see {@link DeviceCredentials}. */
        public Builder deviceStore(DeviceCredentialStore store) {
            this.deviceStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Verify and issue Streams tokens with this issuer instead of one derived from the master key. */
        public Builder tokenIssuer(TokenIssuer issuer) {
            this.tokens = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** Also accept JWTs from the host application's identity provider. */
        public Builder externalJwt(ExternalJwt external) {
            this.external = Objects.requireNonNull(external, "external");
            return this;
        }

        /** The clock for expiry checks (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Clock skew tolerated on exp, nbf and iat (default 5 s). */
        public Builder leeway(Duration leeway) {
            this.leeway = Objects.requireNonNull(leeway, "leeway");
            return this;
        }

        /** Builds the auth; throws IllegalArgumentException without a master key of 32 bytes or more. */
        public StreamsAuth build() {
            if (masterKey == null) {
                throw new IllegalArgumentException("a master key is required");
            }
            return new StreamsAuth(this);
        }
    }
}
