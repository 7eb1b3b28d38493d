package dev.streams.client;

import dev.streams.protocol.ErrorCode;

/** Receives a subscription's events, on the client's I/O thread: return quickly. */
@FunctionalInterface
public interface EventHandler {
    /** One event, in order per topic, on the client's delivery thread. */
    void onEvent(ClientEvent event);

    /**
     * Events of {@code topic} were lost: history no longer held them after a reconnect, or the client read
     * too slowly. {@code missed} is -1 when the count is unknown (the server's history started over).
     */
    default void onGap(String topic, long missed, String cause) {
    }

    /** The server refused the subscription (for example FORBIDDEN or INVALID_TOPIC); it stays inactive. */
    default void onRefused(ErrorCode code, String message) {
    }

    /**
     * The server made the subscription: everything published from now on reaches it (after what it replays).
     * Called again after each reconnection, once it is resubscribed from its cursors. An application that
     * publishes and waits to see its own event starts after this.
     */
    default void onLive() {
    }
}
