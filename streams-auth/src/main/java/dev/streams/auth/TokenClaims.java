package dev.streams.auth;

import dev.streams.core.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a verified Streams token grants: one project and the topic patterns within it, until it expires.
 *
 * @param keyId     the {@code kid} that signed it
 * @param project   the only project it is good for
 * @param topics    patterns it covers ({@code >} covers every topic)
 * @param issuedAt  {@code iat}
 * @param expiresAt {@code exp}
 * @param extra     other claims the issuer added (already free of the reserved names)
 */
public record TokenClaims(String keyId, String project, List<String> topics, Instant issuedAt, Instant expiresAt,
                          Map<String, Object> extra) {
    /** Copies the topics. */
    public TokenClaims {
        topics = List.copyOf(topics);
        extra = Map.copyOf(extra);
    }

    /** Whether the token covers {@code topicOrPattern} in {@code project}. */
    public boolean allows(String project, String topicOrPattern) {
        if (!this.project.equals(project)) {
            return false;
        }
        for (String granted : topics) {
            if (Topics.covers(granted, topicOrPattern)) {
                return true;
            }
        }
        return false;
    }

    /** Throws {@link TokenException} with FORBIDDEN_PROJECT or FORBIDDEN_TOPIC unless {@link #allows} is true. */
    public void check(String project, String topicOrPattern) {
        if (!this.project.equals(project)) {
            throw new TokenException(TokenError.FORBIDDEN_PROJECT, "token is not valid for this project");
        }
        if (!allows(project, topicOrPattern)) {
            throw new TokenException(TokenError.FORBIDDEN_TOPIC,
                    "token has no permission for topic '" + topicOrPattern + "'");
        }
    }
}
