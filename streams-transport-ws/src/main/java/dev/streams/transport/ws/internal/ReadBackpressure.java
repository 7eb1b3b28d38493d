package dev.streams.transport.ws.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * Reads from a peer only while the peer reads what we send. When the channel's outbound buffer passes its
 * high-water mark (the peer stopped reading: pongs to a ping flood, replies to pipelined requests, events),
 * this handler turns auto-read off and also holds back explicit {@code read()} calls (Netty's WebSocket
 * handler issues one after every ping it answers), so TCP flow control pushes back on the peer and neither
 * the outbound buffer nor the inbound queue can grow past the mark. Reading resumes when the buffer drains
 * below the low-water mark; a peer that never drains is closed by the idle and request timeouts.
 * First in the pipeline, so every handler's reads pass through it; it also notes when the connection last
 * read, for the {@link IdleSweeper}.
 */
final class ReadBackpressure extends ChannelDuplexHandler {
    private boolean readHeld;
    /** When the peer last sent anything, or the last idle event was fired (written by the sweeper's thread too). */
    private volatile long lastActivity = System.nanoTime();

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
