package dev.streams.transport.ws.internal;

import dev.streams.core.ErrorKind;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
import dev.streams.core.SubscribeOptions;
import dev.streams.core.Subscription;
import dev.streams.core.SubscriptionListener;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Where a session's subscription is made. A broker whose store never blocks subscribes on the event loop. With
 * one whose reads may block (a database, a cluster engine), the event loop still makes what memory answers (a
 * topic in memory replayed from its ring, a pattern starting live); the rest waits for the server's replay
 * threads ({@link ReplayQueue}), and is refused with a retry hint only when too many already wait. One whose
 * client has left by its turn is dropped there, with no store read: a client that gave up waiting (its handshake
 * timed out in a storm) and came back must not leave work behind that delays everyone after it.
 */
final class SubscribeRouting {
    /** The retry hint of a subscription refused because too many were waiting to read the history store. */
    static final int RETRY_AFTER_SECONDS = 1;

    private SubscribeRouting() {
    }

    /**
     * Subscribes; {@code made} or {@code failed} runs on {@code loop} (the caller's event loop), unless the
     * subscription waited for a replay thread and {@code wanted} (read from that thread) said no by then.
     */
    static void subscribe(ServerContext server, Executor loop, BooleanSupplier wanted, String project, String pattern,
                          StartPosition start, SubscribeOptions options, SubscriptionListener listener,
                          Consumer<Subscription> made, Consumer<RuntimeException> failed) {
        Subscription sub;
        try {
            sub = server.broker().subscribeIfInMemory(project, pattern, start, options, listener).orElse(null);
        } catch (RuntimeException e) {
            failed.accept(e);
            return;
        }
        if (sub != null) {
            server.metrics().replaysFromMemory.increment();
            made.accept(sub);
            return;
        }
        boolean queued = server.replays().submit(project, () -> {
            if (!wanted.getAsBoolean()) {
                server.metrics().replaysAbandoned.increment();
                return;
            }
            try {
                Subscription later = server.broker().subscribe(project, pattern, start, options, listener);
                loop.execute(() -> made.accept(later));
            } catch (RuntimeException e) {
                loop.execute(() -> failed.accept(e));
            }
        });
        if (!queued) {
            server.metrics().limitRejections.increment();
            failed.accept(new StreamsException(ErrorKind.UNAVAILABLE, "too many subscriptions waiting to read history;"
                    + " retry after " + RETRY_AFTER_SECONDS + " s"));
        }
    }
}
