package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * How large a buffer each read of a connection gets, and how many reads one readiness allows: Netty's adaptive
 * policy (the guess grows four sizes at once when a read fills its buffer and shrinks one size after two small
 * reads in a row, between 64 B and 64 KiB, from 2 KiB) and Netty's default of 16 reads for a stream channel.
 *
 * <p>Why not Netty's {@code AdaptiveRecvByteBufAllocator}: every connection keeps its handle for life, and Netty's
 * spreads one connection's sizing state over three objects (the handle, its calculator and a supplier, 112 bytes
 * per idle connection). This handle keeps the same state in one 40-byte object. The policy object itself holds
 * nothing, so all connections share it; a shared Netty allocator would also share its mutable settings.
 */
final class ReceiveSizing implements RecvByteBufAllocator {
    static final ReceiveSizing INSTANCE = new ReceiveSizing();

    /** Reads per readiness before others get their turn (Netty's default for stream channels). */
    static final int MAX_READS = 16;
    /** Buffer sizes: 16 to 496 by 16, then doubling from 512 (Netty's adaptive table). */
    private static final int[] SIZES = sizes();
    private static final int MIN_INDEX = indexOf(64);
    private static final int MAX_INDEX = indexOf(65_536);
    private static final int INITIAL_INDEX = indexOf(2048);
    private static final int GROW = 4;

    private ReceiveSizing() {
    }

    @Override
    public Handle newHandle() {
        return new Handle();
    }

    private static int[] sizes() {
        int[] sizes = new int[31 + 8];
        int n = 0;
        for (int size = 16; size < 512; size += 16) {
            sizes[n++] = size;
        }
        for (int size = 512; size <= 65_536; size <<= 1) {
            sizes[n++] = size;
        }
        return sizes;
    }

    private static int indexOf(int size) {
        for (int i = 0; i < SIZES.length; i++) {
            if (SIZES[i] == size) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a table size: " + size);
    }

    /** One connection's sizing state. Used on the connection's event loop only. */
    static final class Handle implements RecvByteBufAllocator.ExtendedHandle {
        private ChannelConfig config;
        private int reads;
        private int bytesRead;
        private int attempted;
        private int lastRead;
        private byte index = (byte) INITIAL_INDEX;
        private boolean shrinkNext;

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return alloc.ioBuffer(guess());
        }

        @Override
        public int guess() {
            return SIZES[index];
        }

        @Override
        public void reset(ChannelConfig config) {
            this.config = config;
            reads = 0;
            bytesRead = 0;
        }

        @Override
        public void incMessagesRead(int numMessages) {
            reads += numMessages;
        }

        @Override
        public void lastBytesRead(int bytes) {
            // A read that filled its buffer: grow now, before the next read of this readiness, rather than after.
            if (bytes == attempted) {
                record(bytes);
            }
            lastRead = bytes;
            if (bytes > 0) {
                bytesRead += bytes;
            }
        }

        @Override
        public int lastBytesRead() {
            return lastRead;
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            attempted = bytes;
        }

        @Override
        public int attemptedBytesRead() {
            return attempted;
        }

        @Override
        public boolean continueReading() {
            // More may be waiting only when the last read filled its buffer.
            return config.isAutoRead() && attempted == lastRead && reads < MAX_READS && bytesRead > 0;
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return config.isAutoRead() && maybeMoreDataSupplier.get() && reads < MAX_READS && bytesRead > 0;
        }

        @Override
        public void readComplete() {
            record(bytesRead < 0 ? Integer.MAX_VALUE : bytesRead);
        }

        private void record(int size) {
            if (size <= SIZES[Math.max(0, index - 1)]) {
                if (shrinkNext) {
                    index = (byte) Math.max(index - 1, MIN_INDEX);
                    shrinkNext = false;
                } else {
                    shrinkNext = true;
                }
            } else if (size >= SIZES[index]) {
                index = (byte) Math.min(index + GROW, MAX_INDEX);
                shrinkNext = false;
            }
        }
    }
}
