package dev.streams.auth;

import java.util.Locale;

/** What a credential may do within its project. */
public enum Scope {
    /** Publish to topics (outside {@code devices.>}). */
    PUBLISH,
    /** Subscribe to topics and streams. */
    SUBSCRIBE,
    /** Issue short-lived Streams tokens, never wider than the issuer's own rights. */
    ISSUE_TOKENS,
    /** Send device data (topics under {@code devices.>}). */
    INGEST;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used in tokens and files, for example {@code issue_tokens}. */
    public String wireName() {
        return wireName;
    }

    /** Parses {@link #wireName()}; throws IllegalArgumentException for an unknown name. */
    public static Scope fromWireName(String name) {
        return Scope.valueOf(name.toUpperCase(Locale.ROOT));
    }
}
