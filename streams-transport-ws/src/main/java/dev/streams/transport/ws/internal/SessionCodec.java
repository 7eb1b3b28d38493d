package dev.streams.transport.ws.internal;

import dev.streams.core.Gap;
import java.time.Instant;

/**
 * A dialect's half of a session: how it reads what its client sends and renders what the session reports. The
 * shared half, {@link Session}, owns the connection, admission, subscriptions, the credential's timers, flow
 * control and closing, and gives the codec a {@link SessionControl} to act through, so a codec is tested
 * without a channel. Every method runs on the session's event loop.
 */
public interface SessionCodec {
    /**
     * The handshake completed: authenticate, subscribe or greet, as the dialect does. For a dialect that
     * {@linkplain #subscribesFromRequest subscribes from the request}, called before the request is answered.
     */
    void opened();

    /**
     * Whether {@link #opened()} subscribes from the opening request alone (a stream URL), with no later sign to the
     * client that the subscription is live: the session then answers the request only once it is live or has
     * failed, so a client that sees the stream open receives everything published after that.
     */
    default boolean subscribesFromRequest() {
        return false;
    }

    /** One complete text message from the client. */
    void text(String text);

    /** Renders a failure as the dialect's last frame and ends the session ({@link SessionControl#end}). */
    void fail(Failure failure, String message);

    /** Events of a topic were missed; dialects that can say so in-band do. */
    default void gap(Gap gap) {
    }

    /** The credential expires soon; dialects that can refresh it in-band warn the client. */
    default void expiring(Instant at) {
    }

    /**
     * Throws when the session's credential as it stands now no longer allows {@code pattern}: called as a
     * subscription attaches. Dialects whose credential can change during a session (the native protocol's
     * {@code auth}) check it; the others keep the credential they subscribed with.
     */
    default void recheckSubscribe(String project, String pattern) {
    }
}
