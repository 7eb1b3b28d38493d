package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.MessageSizeEstimator;

/**
 * Sizes what waits in a channel's outbound buffer by the memory it holds (a buffer's capacity), not by the bytes
 * it will send (Netty's default), so that the per-connection high-water mark and the server's
 * {@link OutboundBudget} bound memory rather than payload.
 */
public final class BufferCapacityEstimator implements MessageSizeEstimator {
    /** The one instance; it holds no state. */
    public static final BufferCapacityEstimator INSTANCE = new BufferCapacityEstimator();

    private static final Handle HANDLE = message -> {
        if (message instanceof ByteBuf buffer) {
            return buffer.capacity();
        }
        if (message instanceof ByteBufHolder holder) {
            return holder.content().capacity();
        }
        return 0;
    };

    private BufferCapacityEstimator() {
    }

    @Override
    public Handle newHandle() {
        return HANDLE;
    }
}
