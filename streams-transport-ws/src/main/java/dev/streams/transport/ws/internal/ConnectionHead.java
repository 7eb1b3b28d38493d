package dev.streams.transport.ws.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * The first handler of every connection, with the jobs that need a place on each connection for its whole life,
 * kept in one handler because a handler's context costs 64 bytes on every idle connection:
 * <ul>
 *   <li>read back-pressure (below);</li>
 *   <li>when the connection last read, for the {@link IdleSweeper};</li>
 *   <li>giving up the connection's place in the open-connections gauge of its dialect when it closes.</li>
 * </ul>
 *
 * <p>Reads from a peer only while the peer reads what we send. When the channel's outbound buffer passes its
 * high-water mark (the peer stopped reading: pongs to a ping flood, replies to pipelined requests, events),
 * this handler turns auto-read off and also holds back explicit {@code read()} calls (Netty's WebSocket
 * handler issues one after every ping it answers), so TCP flow control pushes back on the peer and neither
 * the outbound buffer nor the inbound queue can grow past the mark. Reading resumes when the buffer drains
 * below the low-water mark; a peer that never drains is closed by the idle and request timeouts.
 * First in the pipeline, so every handler's reads pass through it.
 */
final class ConnectionHead extends ChannelDuplexHandler {
    private final ServerMetrics metrics;
    private boolean readHeld;
    /** When the peer last sent anything, or the last idle event was fired (written by the sweeper's thread too). */
    private volatile long lastActivity = System.nanoTime();

    ConnectionHead(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        metrics.of(ctx.channel().attr(Dialect.KEY).get()).connectionsOpen.decrement();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = System.nanoTime();
        ctx.fireChannelRead(msg);
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
        if (ctx.channel().isWritable()) {
            ctx.read();
        } else {
            readHeld = true;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable);
        if (writable && readHeld) {
            readHeld = false;
            ctx.read();
        }
        ctx.fireChannelWritabilityChanged();
    }
}
