package dev.streams.core;

import dev.streams.protocol.TopicNames;
import dev.streams.protocol.TopicRule;

/**
 * Topic names and subscription patterns. Topics are dot-separated tokens; a pattern may use {@code *} for
 * exactly one token and {@code >} for one or more trailing tokens. Used by the broker and by the auth and
 * transport modules so every layer applies the same rules.
 */
public final class Topics {
    private static final int MAX_PROJECT_LENGTH = 128;
    /** The default maximum length of a topic or pattern, in chars. */
    public static final int DEFAULT_MAX_LENGTH = TopicNames.DEFAULT_MAX_LENGTH;
    /** The pattern matching every topic. */
    public static final String ALL = TopicNames.ALL;

    private Topics() {
    }

    /** Checks a topic one may publish to; throws {@link InvalidTopicException} naming the rule it breaks. */
    public static String requireTopic(String topic) {
        return check(topic, false, DEFAULT_MAX_LENGTH);
    }

    /** Checks a subscription pattern; throws {@link InvalidTopicException} naming the rule it breaks. */
    public static String requirePattern(String pattern) {
        return check(pattern, true, DEFAULT_MAX_LENGTH);
    }

    static String check(String topic, boolean wildcardsAllowed, int maxLength) {
        TopicRule broken = TopicNames.violation(topic, wildcardsAllowed, maxLength);
        if (broken != null) {
            throw new InvalidTopicException(topic, broken);
        }
        return topic;
    }

    /** Whether a pattern contains a wildcard token (a plain topic name is a pattern matching only itself). */
    public static boolean hasWildcard(String pattern) {
        return TopicNames.hasWildcard(pattern);
    }

    /** Whether a valid pattern matches a valid topic. */
    public static boolean matches(String pattern, String topic) {
        return TopicNames.matches(pattern, topic);
    }

    /**
     * Whether every topic matched by {@code inner} is also matched by {@code outer}: used to check that a
     * requested subscription (or a token being issued) stays inside what a credential allows.
     */
    public static boolean covers(String outer, String inner) {
        return TopicNames.covers(outer, inner);
    }

    /** The pattern matching exactly the topics both valid patterns match, or null when they share none. */
    public static String intersection(String a, String b) {
        return TopicNames.intersection(a, b);
    }

    /**
     * Checks a project id: 1 to 128 characters of {@code [A-Za-z0-9._-]}. Throws {@link StreamsException}
     * (INVALID_PROJECT) otherwise; the one definition of the rule, for every module.
     */
    public static void requireProject(String project) {
        if (project == null || project.isEmpty() || project.length() > MAX_PROJECT_LENGTH) {
            throw new StreamsException(ErrorKind.INVALID_PROJECT, "project id must be 1 to 128 characters");
        }
        for (int i = 0; i < project.length(); i++) {
            char c = project.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                throw new StreamsException(ErrorKind.INVALID_PROJECT, "project id may only use [A-Za-z0-9._-]");
            }
        }
    }
}
