package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.MessageSizeEstimator;

/**
 * Sizes what waits in a channel's outbound buffer by the memory it holds (a buffer's capacity), not by the bytes
 * it will send (Netty's default), so that the per-connection high-water mark and the server's
 * {@link OutboundBudget} bound memory rather than payload. A slice holds all of the buffer it is part of (a
 * connection's part of an event loop's {@link SharedFrames}): it counts as that buffer's capacity, for each
 * connection whose write of it waits.
 */
public final class BufferCapacityEstimator implements MessageSizeEstimator {
    /** The one instance; it holds no state. */
    public static final BufferCapacityEstimator INSTANCE = new BufferCapacityEstimator();

    private static final Handle HANDLE = message -> {
        if (message instanceof ByteBuf buffer) {
            return held(buffer);
        }
        if (message instanceof ByteBufHolder holder) {
            return held(holder.content());
        }
        return 0;
    };

    /** The capacity of the buffer whose memory {@code buffer} is (itself, or the one it is a slice of). */
    private static int held(ByteBuf buffer) {
        ByteBuf memory = buffer;
        for (ByteBuf inner = memory.unwrap(); inner != null; inner = memory.unwrap()) {
            memory = inner;
        }
        return memory.capacity();
    }

    private BufferCapacityEstimator() {
    }

    @Override
    public Handle newHandle() {
        return HANDLE;
    }
}
