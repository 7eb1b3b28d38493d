package dev.streams.auth.internal;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.streams.auth.ApiKey;
import dev.streams.auth.ApiKeyStore;
import dev.streams.auth.AuthException;
import dev.streams.auth.AuthFailure;
import dev.streams.auth.ExternalJwt;
import dev.streams.auth.Principal;
import dev.streams.auth.Scope;
import dev.streams.auth.TokenClaims;
import dev.streams.auth.TokenException;
import dev.streams.auth.TokenIssuer;
import dev.streams.core.Topics;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Turns one presented credential into a {@link Principal}, or a typed refusal. */
public final class Authenticator {
    /** The {@code iss} of Streams tokens (see the core's TokenIssuer). */
    private static final String STREAMS_ISSUER = "streams";
    private static final byte[] NO_HASH = new byte[32];
    private static final int MAX_CREDENTIAL_CHARS = 8192;

    private final ApiKeyStore store;
    private final KeySecrets secrets;
    private final TokenIssuer tokens;
    private final ExternalJwt external;
    private final JwtVerifiers jwts;

    public Authenticator(ApiKeyStore store, KeySecrets secrets, TokenIssuer tokens, ExternalJwt external,
                         JwtVerifiers jwts) {
        this.store = store;
        this.secrets = secrets;
        this.tokens = tokens;
        this.external = external;
        this.jwts = jwts;
    }

    public Principal authenticate(String credential) {
        if (credential == null || credential.isEmpty()) {
            throw new AuthException(AuthFailure.MISSING_CREDENTIAL, "no credential");
        }
        if (credential.length() > MAX_CREDENTIAL_CHARS) {
            throw new AuthException(AuthFailure.MALFORMED_CREDENTIAL, "credential too long");
        }
        if (KeySecrets.looksLikeKey(credential)) {
            return apiKey(credential);
        }
        if (dots(credential) == 2) {
            return jwt(credential);
        }
        throw new AuthException(AuthFailure.UNKNOWN_KEY, "credential is neither an API key nor a JWT");
    }

    private static int dots(String s) {
        int dots = 0;
        for (int at = s.indexOf('.'); at >= 0; at = s.indexOf('.', at + 1)) {
            dots++;
        }
        return dots;
    }

    /** What an API key may touch: every topic of its project. One list for all of them. */
    private static final List<String> EVERY_TOPIC = List.of(">");

    /**
     * The principal of each API key, built once per stored version of the key: every connection of one key holds
     * the same immutable principal instead of its own copy. Bounded by the keys in the store; a changed key (a
     * new record from the store) gets a new principal.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, KeyPrincipal> keyPrincipals =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record KeyPrincipal(ApiKey key, Principal principal) {
    }

    private Principal apiKey(String presented) {
        ApiKey key = store.find(KeySecrets.idOf(presented)).orElse(null);
        // Hash even for unknown ids, so both paths cost the same.
        boolean matches = KeySecrets.matches(KeySecrets.secretPartOf(presented), key == null ? NO_HASH : key.secretHash());
        if (key == null || !matches) {
            throw new AuthException(AuthFailure.UNKNOWN_KEY, "unknown API key");
        }
        if (key.isRevoked()) {
            throw new AuthException(AuthFailure.REVOKED_KEY, "API key was revoked");
        }
        return keyPrincipals.compute(key.id(), (id, known) -> known != null && known.key() == key ? known
                : new KeyPrincipal(key, new Principal(Principal.Kind.API_KEY, key.id(), key.project(), key.scopes(),
                        EVERY_TOPIC, null))).principal();
    }

    private Principal jwt(String token) {
        if (tokens != null) {
            // One of our own tokens (its header names one of our keys) is verified once, without the JOSE
            // library's parse too. The issuer still accepts HS256 only, whatever the header says.
            TokenClaims claims = streamsClaims(() -> tokens.verifyIfRecognized(token));
            if (claims != null) {
                return streamsPrincipal(claims);
            }
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new AuthException(AuthFailure.MALFORMED_CREDENTIAL, "not a valid JWT");
        }
        if (!(parsed instanceof SignedJWT signed)) {
            throw new AuthException(AuthFailure.ALGORITHM_NOT_ALLOWED, "unsigned or encrypted JWTs are not accepted");
        }
        String issuer = JwtVerifiers.claimsOf(signed).getIssuer();
        if (STREAMS_ISSUER.equals(issuer)) {
            return streamsToken(token);
        }
        if (external != null && external.issuer().equals(issuer)) {
            return externalJwt(signed);
        }
        return keyJwt(signed, issuer);
    }

    private Principal streamsToken(String token) {
        if (tokens == null) {
            throw new AuthException(AuthFailure.UNKNOWN_KEY, "Streams tokens are not accepted here");
        }
        return streamsPrincipal(streamsClaims(() -> tokens.verify(token)));
    }

    /** Runs a token verification, turning its refusal into the matching {@link AuthFailure}. */
    private static TokenClaims streamsClaims(java.util.function.Supplier<TokenClaims> verification) {
        try {
            return verification.get();
        } catch (TokenException e) {
            throw new AuthException(switch (e.error()) {
                case EXPIRED -> AuthFailure.EXPIRED;
                case NOT_YET_VALID -> AuthFailure.NOT_YET_VALID;
                case UNKNOWN_KEY -> AuthFailure.UNKNOWN_KEY;
                case BAD_SIGNATURE -> AuthFailure.BAD_SIGNATURE;
                case MALFORMED -> AuthFailure.MALFORMED_CREDENTIAL;
                case FORBIDDEN_PROJECT -> AuthFailure.FORBIDDEN_PROJECT;
                case FORBIDDEN_TOPIC -> AuthFailure.FORBIDDEN_TOPIC;
            }, e.getMessage());
        }
    }

    private Principal streamsPrincipal(TokenClaims claims) {
        Set<Scope> scopes = scopes(claims.extra().get(Permissions.SCOPES_CLAIM), EnumSet.of(Scope.SUBSCRIBE));
        Object id = claims.extra().getOrDefault(Permissions.ISSUED_BY_CLAIM, "token");
        String apiKey = claims.extra().get(Permissions.API_KEY_CLAIM) instanceof String k ? k : null;
        // A key this server knows and revoked ends the tokens issued under it. A key it does not know (another
        // node's key store, in a cluster sharing the signing key) leaves the token standing on its signature.
        if (apiKey != null && store.find(apiKey).map(ApiKey::isRevoked).orElse(false)) {
            throw new AuthException(AuthFailure.REVOKED_KEY, "the API key this token was issued under was revoked");
        }
        return new Principal(Principal.Kind.STREAMS_TOKEN, String.valueOf(id), claims.project(), scopes,
                claims.topics(), claims.expiresAt(), apiKey);
    }

    private Principal keyJwt(SignedJWT jwt, String keyId) {
        ApiKey key = keyId == null ? null : store.find(keyId).orElse(null);
        if (key == null) {
            throw new AuthException(AuthFailure.UNKNOWN_KEY, "JWT names no known API key");
        }
        String secret = secrets.secretOf(key.id());
        if (!KeySecrets.matches(secret, key.secretHash())) {
            // The key was made under another master key; its secret cannot be derived here.
            throw new AuthException(AuthFailure.UNKNOWN_KEY, "API key cannot sign JWTs on this server");
        }
        JWTClaimsSet claims = jwts.verifyKeyJwt(jwt, secret);
        if (key.isRevoked()) {
            throw new AuthException(AuthFailure.REVOKED_KEY, "API key was revoked");
        }
        return new Principal(Principal.Kind.KEY_JWT, key.id(), key.project(), key.scopes(), EVERY_TOPIC,
                claims.getExpirationTime().toInstant());
    }

    private Principal externalJwt(SignedJWT jwt) {
        JWTClaimsSet claims = jwts.verifyExternal(jwt, external);
        Object project = claims.getClaim(external.projectClaim());
        if (!(project instanceof String p) || p.isEmpty()) {
            throw new AuthException(AuthFailure.MALFORMED_CREDENTIAL, "JWT has no project claim");
        }
        Set<Scope> scopes = scopes(claims.getClaim(external.scopesClaim()), EnumSet.noneOf(Scope.class));
        Object rawTopics = claims.getClaim(external.topicsClaim());
        List<String> topics = rawTopics == null ? List.of(">") : stringList(rawTopics);
        try {
            topics.forEach(Topics::requirePattern);
        } catch (RuntimeException e) {
            throw new AuthException(AuthFailure.MALFORMED_CREDENTIAL, "JWT topics claim holds an invalid pattern");
        }
        String subject = claims.getSubject() == null ? "external" : claims.getSubject();
        return new Principal(Principal.Kind.EXTERNAL_JWT, subject, p, scopes, topics,
                claims.getExpirationTime().toInstant());
    }

    /** Scopes from a space-separated string or a list of names; unknown names are ignored, not granted. */
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
    private static final Scope[] SCOPES = Scope.values();

    private static Set<Scope> scopes(Object raw, Set<Scope> fallback) {
        if (raw == null) {
            return fallback;
        }
        List<String> names = raw instanceof String s ? List.of(WHITESPACE.split(s.trim())) : stringList(raw);
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : names) {
            for (Scope scope : SCOPES) {
                if (scope.wireName().equals(name)) {
                    scopes.add(scope);
                }
            }
        }
        return scopes;
    }

    private static List<String> stringList(Object raw) {
        if (!(raw instanceof List<?> list)) {
            throw new AuthException(AuthFailure.MALFORMED_CREDENTIAL, "expected a list of strings in JWT");
        }
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new AuthException(AuthFailure.MALFORMED_CREDENTIAL, "expected a list of strings in JWT");
            }
            out.add(s);
        }
        return out;
    }
}
