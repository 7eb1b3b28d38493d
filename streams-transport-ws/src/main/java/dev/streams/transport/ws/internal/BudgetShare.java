package dev.streams.transport.ws.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * One connection's share of the server's {@link OutboundBudget}: after each flush its {@link FrameBatcher} has it
 * read how many bytes still wait in the channel's outbound buffer, and while some do, an empty marker write behind
 * them tells it when they have gone out. A client that keeps up leaves nothing waiting and never touches the
 * budget. Event loop only.
 */
final class BudgetShare implements ChannelFutureListener {
    private final Channel channel;
    private final OutboundBudget budget;
    /** This channel's bytes counted in the budget. */
    private long counted;
    /** A marker write is out: when it completes, everything written before it has gone out. */
    private boolean watching;
    /** Told when the outbound buffer empties after holding bytes; null until a session owns the connection. */
    private FrameBatcher.Owner owner;

    BudgetShare(Channel channel, OutboundBudget budget) {
        this.channel = channel;
        this.budget = budget;
    }

    void owner(FrameBatcher.Owner owner) {
        this.owner = owner;
    }

    /** Bytes of this channel counted in the budget. */
    long counted() {
        return counted;
    }

    /** Brings this channel's share of the budget up to date, and watches for what still waits to go out. */
    void recount() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        long now = buffer == null ? 0 : buffer.totalPendingWriteBytes();
        if (now != counted) {
            budget.adjust(now - counted);
            counted = now;
            if (now == 0 && owner != null) {
                // In a task of its own: recount runs inside flush, which may run inside a delivery.
                FrameBatcher.Owner told = owner;
                channel.eventLoop().execute(told::drained);
            }
        }
        if (now > 0 && !watching) {
            watching = true;
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(this);
        }
    }

    /**
     * The marker write completed (or failed, the channel closing): what was ahead of it is gone. Counted again in
     * a task of its own, because Netty completes a write before it takes the write's bytes off the channel's
     * pending count, and recounting here would see the marker itself and send another, and again, forever.
     */
    @Override
    public void operationComplete(ChannelFuture future) {
        channel.eventLoop().execute(this::watched);
    }

    private void watched() {
        watching = false;
        recount();
    }

    /** Gives this channel's share back (the channel is gone). */
    void release() {
        budget.adjust(-counted);
        counted = 0;
    }
}
