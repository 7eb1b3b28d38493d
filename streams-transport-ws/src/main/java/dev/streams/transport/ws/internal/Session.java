package dev.streams.transport.ws.internal;

import dev.streams.auth.Principal;
import dev.streams.core.CloseReason;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.StartPosition;
import dev.streams.core.SubscribeOptions;
import dev.streams.core.Subscription;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One WebSocket connection speaking one dialect: the machinery every dialect shares (admission per project,
 * authorize-then-subscribe, credential expiry, flow-controlled delivery, gaps, closing). A dialect is the small
 * codec on top: how it reads requests and renders frames and {@link Failure}s.
 *
 * <p>Runs on its channel's event loop only: frames in, broker deliveries (the subscriptions use the event loop
 * as their executor), timers and writability changes, so its state needs no locks.
 */
public abstract class Session implements FrameBatcher.Owner {
    protected final Channel channel;
    protected final ServerContext server;
    protected final Dialect dialect;
    private final List<SubscriptionSink> sinks = new ArrayList<>(1);
    /** This dialect's counters, looked up once: sendEncoded runs for every frame to every subscriber. */
    private final ServerMetrics.PerDialect counters;
    /** Where this session's messages go: a WebSocket or a Server-Sent Events response. */
    protected final Outbound out;
    private boolean open;
    private boolean closing;
    /** The project whose connection place this session holds, once admitted. */
    private String admittedProject;
    /** The credential the session acts with, its expiry timers, and what the revocation sweep reads. */
    private final SessionCredential credential = new SessionCredential();
    /** Messages (and their bytes) of this turn, not yet added to the dialect's counters. */
    private long unsentBytes;
    private int unsentMessages;
    /** Waiting for the server's outbound budget (see {@link OutboundBudget}). */
    private boolean parkedOnBudget;

    protected Session(Channel channel, ServerContext server, Dialect dialect, Outbound out) {
        this.channel = channel;
        this.server = server;
        this.dialect = dialect;
        this.counters = server.metrics().of(dialect);
        this.out = out;
        out.owner(this);
    }

    /** Emptied its outbound buffer: it may pull again, whatever the server's budget (see mayPull). */
    @Override
    public final void drained() {
        writabilityChanged();
    }

    /** Called once the handshake completed. */
    protected abstract void onOpen();

    /** One complete text message from the client. */
    public abstract void onText(String text);

    /** Renders a failure as this dialect's last frame and closes with the failure's code. */
    protected abstract void fail(Failure failure, String message);

    /** Events of a topic were missed; dialects that can say so in-band do. */
    protected void onGap(Gap gap) {
    }

    /** The credential expires soon; dialects that can refresh it in-band warn the client. */
    protected void onExpiring(Instant at) {
    }

    /** The handshake completed: the session joins the server's and takes over the connection gauge. */
    final void opened() {
        open = true;
        out.opened();
        server.sessions().add(this);
        server.metrics().switchDialect(channel, dialect);
        onOpen();
    }

    final void gapObserved(Gap gap) {
        if (gap.cause() == Gap.Cause.QUEUE_OVERFLOW) {
            counters.dropped.add(gap.missed());
        }
        onGap(gap);
    }

    /** Counts an event this session published. */
    protected final void countPublished() {
        counters.published.increment();
    }

    public Dialect dialect() {
        return dialect;
    }

    protected final boolean isClosing() {
        return closing;
    }

    /**
     * Takes one of the project's connection places; on refusal fails the session with LIMIT_EXCEEDED and
     * returns false. A session is admitted to one project at most once.
     */
    protected final boolean admit(String project) {
        if (admittedProject != null) {
            return true;
        }
        if (!server.projectConnections().tryAcquire(project)) {
            server.metrics().limitRejections.increment();
            fail(Failure.LIMIT_EXCEEDED, "project " + project + " has reached its limit of "
                    + server.projectConnections().limit() + " connections");
            return false;
        }
        admittedProject = project;
        return true;
    }

    /**
     * The one way every dialect subscribes: the principal must be allowed the pattern in the project, the
     * session must be admitted to the project, then the broker subscribes with this connection's event loop
     * and outbound flow control, where {@link SubscribeRouting} says (never blocking the event loop);
     * {@code ready} runs on the event loop. Refusals arrive in {@code failed} (an
     * AuthException or StreamsException for the dialect to render); when admission fails the session is
     * already failing and neither runs.
     */
    protected final void authorizeAndSubscribe(Principal who, String project, String pattern, StartPosition start,
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
        SubscriptionSink sink = new SubscriptionSink(this, encoding);
        SubscribeOptions options = server.subscribeOptions().toBuilder().executor(channel.eventLoop()).manualDemand()
                .build();
        SubscribeRouting.subscribe(server, channel.eventLoop(), project, pattern, start, options, sink,
                sub -> attached(sink, sub, project, pattern, ready, failed), failed);
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
            recheckSubscribe(project, pattern);
        } catch (RuntimeException notAnyMore) {
            sub.cancel();
            failed.accept(notAnyMore);
            return;
        }
        sink.attach(sub);
        sinks.add(sink);
        counters.subscriptionsOpen.increment();
        ready.accept(sink);
        // A replay's gaps follow the subscription's acknowledgement, as when it replays on this thread.
        sink.announced();
    }

    /**
     * Throws when the session's credential as it stands now no longer allows {@code pattern}: called as a
     * subscription attaches. Dialects whose credential can change during a session (the native protocol's
     * {@code auth}) check it; the others keep the credential they subscribed with.
     */
    protected void recheckSubscribe(String project, String pattern) {
    }

    protected final void unsubscribe(SubscriptionSink sink) {
        if (sinks.remove(sink)) {
            sink.cancel();
            counters.subscriptionsOpen.decrement();
        }
    }

    /**
     * Where a Server-Sent Events stream starts: after the client's Last-Event-ID when it has one (the cursor
     * itself for one topic; the server's resume record for a pattern), else at {@code fresh}. Sets the ids
     * the stream gives its events. When a resume was asked for and cannot be honoured, the stream starts live
     * and {@code lostMessage} is sent first as a gap. A WebSocket starts at {@code fresh} (see {@link Outbound#resumeFrom}).
     */
    protected final StartPosition sseStart(String project, String pattern, StartPosition fresh, String lastEventId,
                                           String lostMessage) {
        return out.resumeFrom(server.sseResumes(), project, pattern, fresh, lastEventId, () -> sendGap(lostMessage));
    }

    /** Renders an exception from authorizing or subscribing as this dialect's failure. */
    protected static Failure failureOf(RuntimeException e) {
        return Failure.of(e);
    }

    /**
     * Closes the session when {@code who}'s credential expires (with EXPIRED, in the dialect's shape), and
     * calls {@link #onExpiring} {@code warning} before. Replaces what an earlier credential armed.
     */
    protected final void watchExpiry(Principal who, Duration warning) {
        credential.adoptUntilExpiry(who, channel.eventLoop(), warning, this::onExpiring,
                () -> fail(Failure.EXPIRED, "credential expired"));
    }

    /** The credential this session acts with, or null before it has one (read from any thread). */
    final Principal credential() {
        return credential.current();
    }

    /**
     * On the event loop: the API key of {@code revoked} was revoked. Ends the session in the dialect's shape
     * unless its credential changed meanwhile (a refreshed native credential that stands on another key).
     */
    final void revoked(Principal revoked) {
        if (closing || !credential.isCurrent(revoked)) {
            return;
        }
        server.metrics().revokedSessions.increment();
        fail(Failure.REVOKED, "the credential's API key was revoked");
    }

    final void writabilityChanged() {
        if (channel.isWritable()) {
            for (SubscriptionSink sink : sinks) {
                sink.refill();
            }
        }
    }

    /**
     * Whether this session's subscriptions may pull: its channel writable, and either nothing of it waiting in
     * its outbound buffer (a client that keeps up is never held back by slow ones) or room in the server's budget.
     */
    final boolean mayPull() {
        return channel.isWritable() && (out.heldBytes() == 0 || server.outboundBudget().hasRoom(this));
    }

    /** Marks this session as queued for the outbound budget's wake-up; false when it already is. */
    final boolean parkForBudget() {
        if (parkedOnBudget) {
            return false;
        }
        parkedOnBudget = true;
        return true;
    }

    /** The outbound budget has room again: pull as after a writability change. */
    final void budgetFreed() {
        parkedOnBudget = false;
        writabilityChanged();
    }

    /** Sends one event in the dialect's shared encoding (batched with others of this turn); never waits. */
    final void sendEvent(Event event, FrameEncoding encoding) {
        unsentBytes += out.event(event, encoding);
        unsentMessages++;
    }

    /** Sends one message of this session's own (a reply, a warning). */
    final void sendEncoded(byte[] utf8) {
        unsentBytes += out.message(null, utf8);
        unsentMessages++;
    }

    /** Sends a gap message: named {@code gap} where the transport names messages (SSE). */
    protected final void sendGap(String json) {
        unsentBytes += out.message("gap", json.getBytes(StandardCharsets.UTF_8));
        unsentMessages++;
    }

    /**
     * Adds what this turn sent to the dialect's counters, once a turn when the batch is written: the counters
     * are shared by every event loop, so they are touched once a turn rather than twice a message.
     */
    @Override
    public final void flushed() {
        if (unsentMessages > 0) {
            counters.bytesOut.add(unsentBytes);
            counters.framesOut.add(unsentMessages);
            unsentBytes = 0;
            unsentMessages = 0;
        }
    }

    protected final void sendText(String text) {
        sendEncoded(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the dialect's last frame (if any), then a close frame with a code and reason, then closes. */
    protected final void fail(String lastFrame, int code, String reason) {
        if (closing) {
            return;
        }
        counters.errors.increment();
        closing = true;
        cancelAll();
        out.end(lastFrame == null ? null : lastFrame.getBytes(StandardCharsets.UTF_8), code, reason);
    }

    protected final void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        cancelAll();
        out.end(code, reason);
    }

    /** A subscription of this session ended in the broker. */
    void subscriptionClosed(CloseReason reason) {
        if (reason == CloseReason.SLOW_CONSUMER) {
            counters.slowDisconnects.increment();
            fail(Failure.SLOW_CONSUMER, "client is not reading fast enough");
        } else if (reason == CloseReason.BROKER_CLOSED) {
            goAway();
        } else if (reason == CloseReason.LISTENER_FAILED) {
            fail(Failure.INTERNAL, "delivery failed on the server; reconnect and resume");
        }
    }

    /** Runs a task on this session's event loop, where all its state lives. */
    public final void channelExecute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    /** The server is shutting down: tell the client to come back later. */
    public final void goAway() {
        close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "server shutting down");
    }

    /** The channel closed, whoever closed it. */
    final void closed() {
        closing = true;
        out.discard();
        credential.cancel();
        cancelAll();
        if (admittedProject != null) {
            server.projectConnections().release(admittedProject);
            admittedProject = null;
        }
        if (open) {
            open = false;
            server.sessions().remove(this);
        }
        onClosed();
    }

    /** The connection ended; dialects release what they hold beyond their subscriptions. */
    protected void onClosed() {
    }

    private void cancelAll() {
        for (SubscriptionSink sink : List.copyOf(sinks)) {
            unsubscribe(sink);
        }
    }
}
