package dev.streams.auth.internal;

import dev.streams.auth.AuthException;
import dev.streams.auth.AuthFailure;
import dev.streams.devices.DeviceTopics;
import dev.streams.auth.Principal;
import dev.streams.auth.Scope;
import dev.streams.core.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The one place that decides whether a principal may do something. Every refusal has a typed reason. */
public final class Permissions {
    /** The claim of a Streams token that lists its scopes. */
    public static final String SCOPES_CLAIM = "scopes";
    /** The claim of a Streams token naming the principal that issued it. */
    public static final String ISSUED_BY_CLAIM = "by";
    /** The claim of a Streams token naming the API key it was issued under, so that revoking the key ends it. */
    public static final String API_KEY_CLAIM = "key";

    private Permissions() {
    }

    public static void checkPublish(Principal who, String project, String topic) {
        checkProject(who, project);
        checkScope(who, DeviceTopics.isDeviceTopic(topic) ? Scope.INGEST : Scope.PUBLISH);
        checkTopic(who, topic);
    }

    public static void checkSubscribe(Principal who, String project, String pattern) {
        checkProject(who, project);
        checkScope(who, Scope.SUBSCRIBE);
        checkTopic(who, pattern);
    }

    public static List<String> readableTopics(Principal who, String project, String pattern) {
        checkProject(who, project);
        checkScope(who, Scope.SUBSCRIBE);
        if (who.covers(pattern)) {
            return List.of(pattern);
        }
        List<String> readable = new ArrayList<>();
        for (String granted : who.topics()) {
            String both = Topics.intersection(granted, pattern);
            if (both != null && !readable.contains(both)) {
                readable.add(both);
            }
        }
        if (readable.isEmpty()) {
            throw new AuthException(AuthFailure.FORBIDDEN_TOPIC, "credential has no permission for this topic");
        }
        return List.copyOf(readable);
    }

    public static void checkIngest(Principal who, String project, String deviceId) {
        checkProject(who, project);
        checkScope(who, Scope.INGEST);
        checkTopic(who, DeviceTopics.topicOf(deviceId));
    }

    /** A token may never grant more than its issuer: same project, covered topics, held scopes, shorter life. */
    public static void checkIssue(Principal who, String project, Collection<String> patterns,
                                  Collection<Scope> scopes, Duration ttl, Instant now) {
        checkProject(who, project);
        checkScope(who, Scope.ISSUE_TOKENS);
        for (String pattern : patterns) {
            if (!who.covers(pattern)) {
                throw new AuthException(AuthFailure.EXCEEDS_ISSUER, "token would cover topics its issuer may not touch");
            }
        }
        for (Scope scope : scopes) {
            if (scope == Scope.ISSUE_TOKENS || !who.has(scope)) {
                throw new AuthException(AuthFailure.EXCEEDS_ISSUER, "token would carry scope " + scope.wireName()
                        + " its issuer may not grant");
            }
        }
        if (who.expiresAt() != null && now.plus(ttl).isAfter(who.expiresAt())) {
            throw new AuthException(AuthFailure.EXCEEDS_ISSUER, "token would outlive its issuer's credential");
        }
    }

    private static void checkProject(Principal who, String project) {
        if (!who.project().equals(project)) {
            throw new AuthException(AuthFailure.FORBIDDEN_PROJECT, "credential is not valid for this project");
        }
    }

    private static void checkScope(Principal who, Scope scope) {
        if (!who.has(scope)) {
            throw new AuthException(AuthFailure.MISSING_SCOPE, "credential lacks scope " + scope.wireName());
        }
    }

    private static void checkTopic(Principal who, String topicOrPattern) {
        if (!who.covers(topicOrPattern)) {
            throw new AuthException(AuthFailure.FORBIDDEN_TOPIC, "credential has no permission for this topic");
        }
    }
}
