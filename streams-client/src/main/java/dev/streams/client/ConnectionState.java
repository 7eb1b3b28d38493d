package dev.streams.client;

/** Where a {@link StreamsClient}'s connection stands. */
public enum ConnectionState {
    /** Opening the socket or waiting for the welcome. */
    CONNECTING,
    /** Welcomed: subscriptions are live. */
    CONNECTED,
    /** Lost; a reconnect is scheduled. */
    RECONNECTING,
    /** Closed by {@link StreamsClient#close()} (or refused for good); no more reconnects. */
    CLOSED
}
