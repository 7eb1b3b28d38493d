package dev.streams.client;

/** Where a {@link StreamsClient}'s connection stands. */
public enum ConnectionState {
    CONNECTING,
    CONNECTED,
    /** Lost; a reconnect is scheduled. */
    RECONNECTING,
    CLOSED
}
