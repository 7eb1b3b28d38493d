package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The WebSocket frames of events that one event loop hands to its connections before its next write pass, each
 * framed once into one shared buffer for every connection of the loop that takes it. A connection that takes
 * the same run of frames as the others (the common case of fan-out: one topic, many subscribers) writes a slice
 * of that buffer instead of a copy of its own ({@link FrameBatcher#addShared}), so a delivery costs no copy, and
 * a turn no buffer of its own, no growth and no release of its own memory.
 *
 * <p>A frame is known by its payload array: an event's encoding is made once per event and dialect
 * ({@link FrameEncoding}), so the same array is the same frame. The loop hands one event to all its subscribers
 * before the next, so remembering the last few frames finds nearly every one.
 *
 * <p>Lifetime: the loop holds one reference to the current buffer; each connection that writes from it holds
 * another until its write is done. The buffer never grows (a connection's slice must not move): when a frame
 * does not fit, the loop lets the buffer go and starts another, and a connection's turn then writes a slice of
 * each. After each write pass the loop lets it go too ({@link #passEnded}), and the next pass starts one sized by
 * what the recent passes framed. A slice that waits for a slow reader keeps its whole buffer, and counts so
 * ({@link BufferCapacityEstimator}).
 *
 * <p>One per event loop ({@link LoopFlusher#frames}); used on that loop's thread only, so it needs no locks.
 */
final class SharedFrames {
    /** Frames remembered by their payload: one per dialect and compression a loop's subscribers mix. */
    private static final int REMEMBERED = 4;
    /** Small enough that a slice of one event's frame keeps little more than the frame. */
    private static final int MIN_CAPACITY = 256;

    private final byte[][] payloads = new byte[REMEMBERED][];
    private final int[] starts = new int[REMEMBERED];
    private final int[] ends = new int[REMEMBERED];
    private int newest;
    private ByteBuf buffer;
    /** Bytes framed since the last pass. */
    private int framedThisPass;
    /**
     * The most recent passes framed, decaying by an eighth a pass: a pass's buffer starts that large, and a quarter
     * more, so that a pass as large as the recent ones fits in one buffer.
     */
    private int framedRecently;
    /** Where the last frame asked for starts and ends in {@link #frame}'s buffer. */
    int start;
    int end;

    /**
     * The buffer holding {@code payload}'s frame (its header byte {@code first}), framed now unless this pass
     * already did; {@link #start} and {@link #end} say where. The caller retains the buffer to keep it.
     */
    ByteBuf frame(byte[] payload, int first, ByteBufAllocator alloc) {
        for (int i = 0, at = newest; i < REMEMBERED; i++, at = (at + REMEMBERED - 1) % REMEMBERED) {
            if (payloads[at] == payload) {
                start = starts[at];
                end = ends[at];
                return buffer;
            }
        }
        int length = FrameBatcher.headerLength(payload.length) + payload.length;
        if (buffer == null || buffer.writableBytes() < length) {
            // As large as the recent passes framed and a quarter more, or twice what this one has framed so far.
            int expected = Math.max(framedRecently + (framedRecently >> 2), 2 * framedThisPass);
            int capacity = Math.max(length, Math.max(MIN_CAPACITY, Math.min(expected, FrameBatcher.EARLY_FLUSH_BYTES)));
            letGo();
            buffer = alloc.ioBuffer(capacity, capacity);
        }
        start = buffer.writerIndex();
        FrameBatcher.header(buffer, first, payload.length);
        buffer.writeBytes(payload);
        end = buffer.writerIndex();
        framedThisPass += length;
        newest = (newest + 1) % REMEMBERED;
        payloads[newest] = payload;
        starts[newest] = start;
        ends[newest] = end;
        return buffer;
    }

    /** The loop's write pass is done: the next frames go in a new buffer, sized by the recent passes. */
    void passEnded() {
        if (buffer != null) {
            letGo();
            framedRecently = Math.max(framedThisPass, framedRecently - (framedRecently >> 3));
            framedThisPass = 0;
        }
    }

    /** Lets the current buffer go (connections still writing from it keep it) and forgets its frames. */
    private void letGo() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
        java.util.Arrays.fill(payloads, null);
    }
}
