package dev.streams.transport.ws.internal;

import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import dev.streams.core.CloseReason;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.StartPosition;
import dev.streams.core.SubscribeOptions;
import dev.streams.core.Subscription;
import dev.streams.core.Topics;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One connection (a WebSocket or a Server-Sent Events response) speaking one dialect, composed of three parts:
 * this, the machinery every dialect shares (admission per project, authorize-then-subscribe, credential expiry
 * and revocation, flow-controlled delivery, gaps, closing; what it sends and how it ends is its
 * {@link SessionOutput} half); the dialect's {@link SessionCodec}, which reads what the client sends and renders
 * frames and {@link Failure}s; and an {@link Outbound}, which frames the bytes for the transport. The codec acts
 * through this session's {@link SessionControl} face only. A stream that subscribes from its request is answered
 * once that subscription is live ({@link #answerWhenLive}).
 *
 * <p>Runs on its channel's event loop only: frames in, broker deliveries (the subscriptions use the event loop
 * as their executor), timers and writability changes, so its state needs no locks.
 */
public final class Session extends SessionOutput implements SessionControl {
    private final ServerContext server;
    private final SessionCodec codec;
    private static final SubscriptionSink[] NO_SINKS = {};
    /** The subscriptions, replaced (a walk may unsubscribe), exactly sized: every idle connection keeps the array. */
    private SubscriptionSink[] sinks = NO_SINKS;
    /** Handshake done and not yet closed. Volatile: the revocation sweep and a server's close read it. */
    private volatile boolean open;
    /** The project whose connection place this session holds, once admitted. */
    private String admittedProject;
    /** The credential the session acts with, its expiry timers, and what the revocation sweep reads. */
    private final SessionCredential credential = new SessionCredential();
    /** Waiting for the server's outbound budget (see {@link OutboundBudget}). */
    private boolean parkedOnBudget;

    /** @param codec makes the dialect's codec, given the face of this session it acts through */
    public Session(Channel channel, ServerContext server, Dialect dialect, Outbound out,
                   Function<SessionControl, SessionCodec> codec) {
        super(channel, out, server.metrics().of(dialect));
        this.server = server;
        out.owner(this);
        this.codec = codec.apply(this);
    }

    /** Emptied its outbound buffer: it may pull again, whatever the server's budget (see mayPull). */
    @Override
    public void drained() {
        writabilityChanged();
    }

    /** Whether the handshake is done and the connection not yet closed. Any thread. */
    boolean isOpen() {
        return open;
    }

    /**
     * Answers the opening request with {@code answer}, which opens the session once written: at once, or, for a
     * dialect that subscribes from the request alone, once that subscription is live or has failed.
     */
    void answerWhenLive(Runnable answer) {
        if (!mayHoldAnswer()) {
            answer.run();
            return;
        }
        pendingOpen = new PendingOpen(answer);
        codec.opened();
    }

    /** Whether {@link #answerWhenLive} may run its answer later than it is called. */
    boolean mayHoldAnswer() {
        return codec.subscribesFromRequest();
    }

    /** The handshake completed: the session is open and takes over the connection gauge. */
    void opened() {
        open = true;
        out.opened();
        ConnectionHead.switchDialect(channel, counters.dialect);
        PendingOpen pending = pendingOpen;
        if (pending == null) {
            codec.opened();
            return;
        }
        pendingOpen = null;
        pending.opened();
        writabilityChanged(); // nothing was pulled while the answer was held
    }

    /** Counts a hole in a subscription's events as it happens, whenever the client is told of it. */
    void countGap(Gap gap) {
        if (gap.cause() == Gap.Cause.QUEUE_OVERFLOW) {
            counters.dropped.add(gap.missed());
        }
    }

    void tellGap(Gap gap) {
        codec.gap(gap);
    }

    /** One complete text message from the client. */
    void received(String text) {
        codec.text(text);
    }

    /** Where this session's messages go. */
    Outbound outbound() {
        return out;
    }

    @Override
    public void countPublished() {
        counters.published.increment();
    }

    @Override
    public void paceAfterPublish(String project, String topic) {
        PublisherPacing.afterPublish(server, channel, project, topic);
    }

    /** The dialect this session speaks. */
    public Dialect dialect() {
        return counters.dialect;
    }

    @Override
    public boolean admit(String project) {
        if (admittedProject != null) {
            return true;
        }
        if (!server.projectConnections().tryAcquire(project)) {
            server.metrics().limitRejections.increment();
            codec.fail(Failure.LIMIT_EXCEEDED, "project " + project + " has reached its limit of "
                    + server.projectConnections().limit() + " connections");
            return false;
        }
        admittedProject = project;
        return true;
    }

    @Override
    public void authorizeAndSubscribe(Principal who, String project, String pattern, StartPosition start,
                                      FrameEncoding encoding, Consumer<SubscriptionSink> ready,
                                      Consumer<RuntimeException> failed) {
        try {
            server.auth().checkSubscribe(who, project, pattern);
        } catch (RuntimeException e) {
            failed.accept(e);
            return;
        }
        credential.adopt(who);
        if (!admit(project)) {
            return;
        }
        if (pendingOpen != null && PendingOpen.startsWhereAsked(pattern, start)) {
            pendingOpen.answer(); // nothing published from now on can fall before where it starts: no need to wait
        }
        SubscriptionSink sink = new SubscriptionSink(this, encoding, !Topics.hasWildcard(pattern));
        SubscribeOptions options = server.subscribeOptions().toBuilder()
                .eventLoop(server.metrics().fanOutLatency.loop(channel.eventLoop())).manualDemand()
                .build();
        SubscribeRouting.subscribe(server, channel.eventLoop(), channel::isActive, project, pattern, start, options,
                sink, sub -> attached(sink, sub, project, pattern, ready, failed), failed);
    }

    /**
     * On the event loop: the subscription is made; a session that closed meanwhile cancels it, and one whose
     * credential changed meanwhile (a narrower token arrived while the replay was read) checks it again.
     */
    private void attached(SubscriptionSink sink, Subscription sub, String project, String pattern,
                          Consumer<SubscriptionSink> ready, Consumer<RuntimeException> failed) {
        if (closing) {
            sub.cancel();
            return;
        }
        try {
            codec.recheckSubscribe(project, pattern);
        } catch (RuntimeException notAnyMore) {
            sub.cancel();
            failed.accept(notAnyMore);
            return;
        }
        sink.attach(sub);
        sinks = Arrays.copyOf(sinks, sinks.length + 1);
        sinks[sinks.length - 1] = sink;
        counters.subscriptionsOpen.increment();
        ready.accept(sink);
        // A replay's gaps follow the subscription's acknowledgement, as when it replays on this thread.
        sink.announced();
        if (pendingOpen != null) {
            pendingOpen.answer();
        }
    }

    @Override
    public Principal authenticate(Credentials credentials) {
        return server.authenticate(channel, credentials);
    }

    @Override
    public void unsubscribe(SubscriptionSink sink) {
        int at = List.of(sinks).indexOf(sink);
        if (at >= 0) {
            SubscriptionSink[] fewer = new SubscriptionSink[sinks.length - 1];
            System.arraycopy(sinks, 0, fewer, 0, at);
            System.arraycopy(sinks, at + 1, fewer, at, fewer.length - at);
            sinks = fewer;
            sink.cancel();
            counters.subscriptionsOpen.decrement();
        }
    }

    @Override
    public List<SubscriptionSink> subscriptions() {
        return List.of(sinks);
    }

    @Override
    public boolean namesEvents() {
        return out.namesEvents();
    }

    @Override
    public StartPosition resumeFrom(String project, String pattern, StartPosition fresh, String lastEventId,
                                    String lostMessage) {
        return out.resumeFrom(server.sseResumes(), project, pattern, fresh, lastEventId, () -> sendGap(lostMessage));
    }

    @Override
    public void watchExpiry(Principal who, Duration warning) {
        credential.adoptUntilExpiry(who, channel.eventLoop(), warning, codec::expiring,
                () -> codec.fail(Failure.EXPIRED, "credential expired"));
    }

    /** The credential this session acts with, or null before it has one (read from any thread). */
    Principal credential() {
        return credential.current();
    }

    /**
     * On the event loop: the API key of {@code revoked} was revoked. Ends the session in the dialect's shape
     * unless its credential changed meanwhile (a refreshed native credential that stands on another key).
     */
    void revoked(Principal revoked) {
        if (closing || !credential.isCurrent(revoked)) {
            return;
        }
        server.metrics().revokedSessions.increment();
        codec.fail(Failure.REVOKED, "the credential's API key was revoked");
    }

    void writabilityChanged() {
        if (channel.isWritable()) {
            for (SubscriptionSink sink : sinks) {
                sink.refill();
            }
        }
    }

    /**
     * Whether this session's subscriptions may pull: open (nothing goes out before the opening answer), its channel
     * writable, and either nothing of it waiting in its outbound buffer (a client that keeps up is never held back
     * by slow ones) or room in the server's budget.
     */
    boolean mayPull() {
        return open && channel.isWritable() && (out.heldBytes() == 0 || server.outboundBudget().hasRoom(this));
    }

    /** Marks this session as queued for the outbound budget's wake-up; false when it already is. */
    boolean parkForBudget() {
        if (parkedOnBudget) {
            return false;
        }
        parkedOnBudget = true;
        return true;
    }

    /** The outbound budget has room again: pull as after a writability change. */
    void budgetFreed() {
        parkedOnBudget = false;
        writabilityChanged();
    }

    /** Sends one event (batched with others of this turn); never waits. {@code oneTopic}: its subscription's kind. */
    void sendEvent(Event event, FrameEncoding encoding, boolean oneTopic) {
        counted(out.event(event, encoding, oneTopic && sinks.length == 1));
    }

    /** A subscription of this session ended in the broker. */
    void subscriptionClosed(CloseReason reason) {
        if (reason == CloseReason.SLOW_CONSUMER) {
            counters.slowDisconnects.increment();
            codec.fail(Failure.SLOW_CONSUMER, "client is not reading fast enough");
        } else if (reason == CloseReason.BROKER_CLOSED) {
            goAway();
        } else if (reason == CloseReason.LISTENER_FAILED) {
            codec.fail(Failure.INTERNAL, "delivery failed on the server; reconnect and resume");
        }
    }

    /** Runs a task on this session's event loop, where all its state lives. */
    public void channelExecute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    @Override
    public <T> void whenDone(CompletableFuture<T> future, BiConsumer<T, Throwable> then) {
        Completions.onLoop(future, channel.eventLoop(), then);
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay) {
        return channel.eventLoop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The server is shutting down: tell the client to come back later. */
    public void goAway() {
        close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "server shutting down");
    }

    /** The channel closed, whoever closed it. */
    void closed() {
        closing = true;
        pendingOpen = null;
        out.discard();
        credential.cancel();
        cancelAll();
        if (admittedProject != null) {
            server.projectConnections().release(admittedProject);
            admittedProject = null;
        }
        open = false;
    }

    @Override
    void cancelAll() {
        for (SubscriptionSink sink : sinks) {
            unsubscribe(sink);
        }
    }
}
