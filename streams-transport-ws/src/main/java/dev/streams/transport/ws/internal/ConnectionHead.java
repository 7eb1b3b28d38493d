package dev.streams.transport.ws.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * The first handler of every connection, with the jobs that need a place on each connection for its whole life,
 * kept in one handler because a handler's context costs 64 bytes on every idle connection:
 * <ul>
 *   <li>read back-pressure (below);</li>
 *   <li>when the connection last read, for the {@link IdleSweeper};</li>
 *   <li>giving up the connection's place in the open-connections gauge of its dialect when it closes;</li>
 *   <li>its place in the {@link ConnectionAdmission} counts: the source address it counts under, whether it
 *       has authenticated, its age and the HTTP answers it gave (for the keep-alive caps).</li>
 * </ul>
 *
 * <p>Reads from a peer only while the peer reads what we send. When the channel's outbound buffer passes its
 * high-water mark (the peer stopped reading: pongs to a ping flood, replies to pipelined requests, events),
 * this handler turns auto-read off and also holds back explicit {@code read()} calls (Netty's WebSocket
 * handler issues one after every ping it answers), so TCP flow control pushes back on the peer and neither
 * the outbound buffer nor the inbound queue can grow past the mark. Reading resumes when the buffer drains
 * below the low-water mark; a peer that never drains is closed by the idle and request timeouts. A publisher
 * is held the same way for a moment while its topic's fan-out is far behind ({@link PublisherPacing}).
 * First in the pipeline, so every handler's reads pass through it.
 *
 * <p>After a WebSocket handshake {@link WebSocketFrames} takes this handler out of the pipeline (its context is
 * 64 bytes of every idle connection) and calls {@link #readSome}, {@link #writabilityChanged} and {@link #closed}
 * itself. From then on the only handlers that ask to read are decoders that have not yet got a whole frame (or
 * TLS record), and they ask only while auto-read is off, so what they read is bounded by the frame limit; nothing
 * needs holding back.
 */
final class ConnectionHead extends ChannelDuplexHandler {
    private final ServerMetrics metrics;
    private final ConnectionAdmission admission;
    private final long openedAt = System.nanoTime();
    /** The address this connection counts under, or null while it counts under none. */
    private String source;
    /** From a trusted proxy: counts under the client address its first request forwards. */
    private final boolean proxied;
    /** Written on the event loop only; read by whoever asks, so volatile. */
    private volatile boolean authenticated;
    private int answers;
    private boolean readHeld;
    /** Not read, for now, because what it publishes cannot be fanned out fast enough ({@link #pace}). */
    private boolean paced;
    /** The dialect whose open-connections gauge counts this connection (a field, not a channel attribute: 48 B less). */
    private Dialect dialect = Dialect.HTTP;
    /** When the peer last sent anything, or the last idle event was fired (written by the sweeper's thread too). */
    private volatile long lastActivity = System.nanoTime();

    ConnectionHead(ServerMetrics metrics, ConnectionAdmission admission, String source, boolean proxied) {
        this.metrics = metrics;
        this.admission = admission;
        this.source = source;
        this.proxied = proxied;
    }

    /**
     * The connection's head, or null on a channel without one (refused connections, tests): in the pipeline,
     * looked up by type (while the pipeline is being built the channel's initializer is still first), or kept by
     * the WebSocket session's handler that took it over. Event loop.
     */
    static ConnectionHead of(Channel channel) {
        ConnectionHead head = channel.pipeline().get(ConnectionHead.class);
        return head != null ? head : taken(channel);
    }

    /** The connection's head, or null, from any thread: first in the pipeline, or taken over by its last handler. */
    static ConnectionHead find(Channel channel) {
        return channel.pipeline().first() instanceof ConnectionHead head ? head : taken(channel);
    }

    private static ConnectionHead taken(Channel channel) {
        return channel.pipeline().last() instanceof WebSocketFrames frames ? frames.head() : null;
    }

    /** Moves the connection's place in the open-connections gauge from its dialect to {@code to}. Event loop. */
    static void switchDialect(Channel channel, Dialect to) {
        ConnectionHead head = of(channel);
        if (head != null && head.dialect != to) {
            head.metrics.of(head.dialect).connectionsOpen.decrement();
            head.metrics.of(to).connectionsOpen.increment();
            head.metrics.of(to).connectionsTotal.increment();
            head.dialect = to;
        }
    }

    /** Marks the connection of {@code channel} as authenticated (once; later calls change nothing). Event loop. */
    static void authenticated(Channel channel) {
        ConnectionHead head = of(channel);
        if (head != null && !head.authenticated) {
            head.authenticated = true;
            head.admission.authenticated();
        }
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    /** Whether the connection is a trusted proxy's that counts under no client address yet. */
    boolean needsSource() {
        return proxied && source == null;
    }

    /** Counts the connection under the client address a trusted proxy forwarded; false when that is at its limit. */
    boolean countUnder(String forwarded) {
        if (!admission.acquire(forwarded)) {
            return false;
        }
        source = forwarded;
        return true;
    }

    /**
     * Counts one HTTP answer and says whether the connection must close after it: a keep-alive cap (answers or
     * age) was reached, or it has gone without a credential for the authentication timeout.
     */
    boolean answerEndsConnection() {
        answers++;
        long age = System.nanoTime() - openedAt;
        boolean end = answers >= admission.limits().maxRequestsPerConnection()
                || age >= admission.maxConnectionAgeNanos()
                || !authenticated && age >= admission.authenticationTimeoutNanos();
        if (end) {
            admission.closedByRule.increment();
        }
        return end;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed();
        ctx.fireChannelInactive();
    }

    /** The connection closed: gives up its places in the gauge and the admission counts. */
    void closed() {
        metrics.of(dialect).connectionsOpen.decrement();
        admission.closed(source, authenticated);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readSome();
        ctx.fireChannelRead(msg);
    }

    /** The peer sent something: it is not idle. */
    void readSome() {
        lastActivity = System.nanoTime();
    }

    /**
     * Whether the peer has been silent for {@code idleNanos} since it last read or since the last idle event;
     * if so, the event counts as fired now.
     */
    boolean idleEventDue(long now, long idleNanos) {
        if (now - lastActivity < idleNanos) {
            return false;
        }
        lastActivity = now;
        return true;
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !paced) {
            ctx.read();
        } else {
            readHeld = true;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writabilityChanged(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    /** Reads while the peer reads: auto-read follows writability, and a held read goes when it returns. */
    void writabilityChanged(ChannelHandlerContext ctx) {
        if (resumeReading(ctx.channel())) {
            ctx.read();
        }
    }

    /** Holds reads back while the publisher is paced, and lets them go when it no longer is. Event loop. */
    void pace(Channel channel, boolean hold) {
        paced = hold;
        if (resumeReading(channel)) {
            channel.read();
        }
    }

    /** Sets auto-read to whether the peer may be read now; true when a held read should go now. */
    private boolean resumeReading(Channel channel) {
        boolean reading = channel.isWritable() && !paced;
        channel.config().setAutoRead(reading);
        if (reading && readHeld) {
            readHeld = false;
            return true;
        }
        return false;
    }
}
