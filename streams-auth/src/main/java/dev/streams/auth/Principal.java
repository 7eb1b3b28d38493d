package dev.streams.auth;

import dev.streams.core.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Who is asking, as established by {@link StreamsAuth#authenticate}: one project, what it may do there,
 * which topics, and until when.
 *
 * @param kind      how the caller proved itself
 * @param subject   the API key id, token id or external subject; safe to log
 * @param project   the only project this principal can act on
 * @param scopes    what it may do
 * @param topics    topic patterns it may touch ({@code >} is every topic)
 * @param expiresAt when the credential stops working, or null when it does not expire (an API key)
 * @param apiKey    the id of the API key this credential stands on (the key itself, a JWT signed with it, or a
 *                  token issued under it), or null (an external JWT): revoking that key ends the credential,
 *                  and transports end what it opened
 */
public record Principal(Kind kind, String subject, String project, Set<Scope> scopes, List<String> topics,
                        Instant expiresAt, String apiKey) {
    /** How a principal authenticated. */
    public enum Kind {
        /** An API key, or a Golioth JWT signed with one. */
        API_KEY,
        /** A Golioth-style JWT: HS256, {@code iss} = API key id, signed with that key's secret. */
        KEY_JWT,
        /** A Streams token from the core's token issuer. */
        STREAMS_TOKEN,
        /** A JWT from the host application's own identity provider. */
        EXTERNAL_JWT,
        /** A device that proved it holds its pre-shared key (CoAP over DTLS); see {@link DeviceCredentials}. */
        DEVICE_PSK
    }

    /** Copies the scopes and topics. */
    public Principal {
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(scopes);
        topics = List.copyOf(topics);
    }

    /**
     * A principal as before API keys were tracked: an API key or key JWT stands on the key its subject names;
     * any other kind on none.
     */
    public Principal(Kind kind, String subject, String project, Set<Scope> scopes, List<String> topics,
                     Instant expiresAt) {
        this(kind, subject, project, scopes, topics, expiresAt,
                kind == Kind.API_KEY || kind == Kind.KEY_JWT ? subject : null);
    }

    /** Whether the principal holds {@code scope}. */
    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    /** Whether one of this principal's patterns covers {@code topicOrPattern}. */
    public boolean covers(String topicOrPattern) {
        for (String granted : topics) {
            if (Topics.covers(granted, topicOrPattern)) {
                return true;
            }
        }
        return false;
    }
}
