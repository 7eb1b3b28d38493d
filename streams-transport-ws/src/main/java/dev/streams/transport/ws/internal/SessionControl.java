package dev.streams.transport.ws.internal;

import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import dev.streams.core.StartPosition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What a {@link SessionCodec} may ask of its session: the machinery every dialect shares. Called on the
 * session's event loop; callbacks come back on it.
 */
public interface SessionControl {
    /**
     * Takes one of the project's connection places; on refusal fails the session with LIMIT_EXCEEDED and
     * returns false. A session is admitted to one project at most once.
     */
    boolean admit(String project);

    /**
     * The one way every dialect subscribes: the principal must be allowed the pattern in the project, the
     * session must be admitted to the project, then the broker subscribes with this connection's event loop
     * and flow control, never blocking the event loop. {@code ready} runs once the subscription is attached;
     * refusals arrive in {@code failed} (an AuthException or StreamsException for the dialect to render); when
     * admission fails the session is already failing and neither runs.
     */
    void authorizeAndSubscribe(Principal who, String project, String pattern, StartPosition start,
                               FrameEncoding encoding, Consumer<SubscriptionSink> ready,
                               Consumer<RuntimeException> failed);

    /**
     * Authenticates a credential the client sent inside the stream (m3o's SubscribeRequest token, the native
     * {@code auth}); throws AuthException when it is refused. The head's credential is the codec's
     * {@link HeadCredential}.
     */
    Principal authenticate(Credentials credentials);

    /** Ends one of the session's subscriptions. */
    void unsubscribe(SubscriptionSink sink);

    /**
     * The session's subscriptions, in the order they were made (each added before its {@code ready} runs): a
     * snapshot, so a codec may end some while it walks them.
     */
    List<SubscriptionSink> subscriptions();

    /** Whether the transport names its messages (Server-Sent Events), so that gaps always go as named events. */
    boolean namesEvents();

    /**
     * Where a Server-Sent Events stream starts: after the client's Last-Event-ID when it has one, else at
     * {@code fresh}; when that resume cannot be honoured the stream starts live and {@code lostMessage} goes
     * first as a gap. A WebSocket starts at {@code fresh}.
     */
    StartPosition resumeFrom(String project, String pattern, StartPosition fresh, String lastEventId,
                             String lostMessage);

    /**
     * Acts with {@code who} from now on: the session ends (EXPIRED, in the dialect's shape) when it expires,
     * with {@link SessionCodec#expiring} {@code warning} before; replaces what an earlier credential armed.
     */
    void watchExpiry(Principal who, Duration warning);

    /** Sends one message of the dialect's own (a reply, a warning). */
    void send(String text);

    /** Sends a gap message: named {@code gap} where the transport names messages. */
    void sendGap(String json);

    /** Sends the dialect's last frame (if any), then a close with a code and reason, and ends the session. */
    void end(String lastFrame, int code, String reason);

    /** Whether the session is ending. */
    boolean isClosing();

    /** Counts an event the client published. */
    void countPublished();

    /**
     * The client just published to {@code topic} of {@code project}: while that topic's fan-out is far behind, the
     * session stops reading for a moment ({@link PublisherPacing}).
     */
    void paceAfterPublish(String project, String topic);

    /** Runs {@code then} on the session's event loop once {@code future} completes (its cause unwrapped). */
    <T> void whenDone(CompletableFuture<T> future, BiConsumer<T, Throwable> then);

    /** Runs {@code task} on the session's event loop after {@code delay}; cancel the future to stop it. */
    Future<?> schedule(Runnable task, Duration delay);
}
