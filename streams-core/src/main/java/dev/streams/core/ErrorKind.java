package dev.streams.core;

/**
 * The closed set of reasons the core refuses or ends something. Each transport dialect maps these to its
 * own error shape (m3o ids and HTTP codes, Golioth gRPC codes, native error ids) in one table.
 */
public enum ErrorKind {
    /** A topic name or subscription pattern breaks a naming rule; see {@link InvalidTopicException#rule()}. */
    INVALID_TOPIC,
    /** A project id is empty, too long or has characters outside {@code [A-Za-z0-9._-]}. */
    INVALID_PROJECT,
    /** A payload is larger than the broker's configured limit. */
    PAYLOAD_TOO_LARGE,
    /** A start position or option is out of range. */
    INVALID_ARGUMENT,
    /** No valid credential: missing, malformed, badly signed or signed with an unknown key. */
    UNAUTHENTICATED,
    /** The caller's credential does not allow the action. */
    FORBIDDEN,
    /** The caller's credential has expired. */
    EXPIRED,
    /** A per-project limit (topics, subscriptions, publish rate, history bytes) refused the request. */
    LIMIT_EXCEEDED,
    /** A subscriber fell too far behind and was disconnected. */
    SLOW_CONSUMER,
    /** Something the broker depends on (the history store) cannot take the request now; retrying may work. */
    UNAVAILABLE,
    /**
     * A request ran past its deadline and was stopped (a history query that the database interrupted); a
     * narrower request may pass.
     */
    DEADLINE_EXCEEDED,
    /** The broker is closed and accepts no more work. */
    CLOSED
}
