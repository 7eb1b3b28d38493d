package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The WebSocket frames of events that one event loop hands to its connections before its next write pass, each
 * framed once for every connection of the loop that takes it. A connection that takes the same run of frames as
 * others (the common case of fan-out: one topic, many subscribers) writes a slice of the loop's buffer instead of a
 * copy of its own ({@link FrameBatcher#addShared}), so a delivery costs no copy, and a turn no buffer of its own,
 * no growth and no release of its own memory.
 *
 * <p>Frames go in lanes, one per encoding (dialect and compression), each with its own buffer: a connection then
 * finds its frames side by side however other dialects' frames of the same events interleave with them. Within a
 * lane, frames lie in the order the loop hands its events over, all topics together, so that a subscriber of every
 * topic there (a project's stream, a pattern) takes one run. A subscriber of one topic among several that
 * interleave finds other topics' frames between its own, and copies them, as before shared frames. Lanes per topic
 * as well were tried, and not kept: they cut a pattern subscriber's turn into a piece per event.
 *
 * <p>A frame is known by its payload array: an event's encoding is made once per event and dialect
 * ({@link FrameEncoding}), so the same array is the same frame. The loop hands one event to all its subscribers
 * before the next, so remembering the last few frames finds nearly every one without looking for its lane.
 *
 * <p>Lifetime: a lane holds one reference to its current buffer; each connection that writes from it holds
 * another until its write is done. A buffer never grows (a connection's slice must not move): when a frame does
 * not fit, the lane lets the buffer go and starts another, and a connection's turn then writes a slice of each.
 * After each write pass the lanes let their buffers go too ({@link #passEnded}), and the next pass starts one
 * sized by what the lane's recent passes framed. A slice that waits for a slow reader keeps its whole buffer, and
 * counts so ({@link BufferCapacityEstimator}).
 *
 * <p>One per event loop ({@link LoopFlusher#frames}); used on that loop's thread only, so it needs no locks.
 */
final class SharedFrames {
    /** Frames remembered by their payload: one per dialect and compression a loop's subscribers mix. */
    private static final int REMEMBERED = 4;
    /** Passes a lane may go without a frame before it is dropped. */
    private static final int IDLE_PASSES = 16;
    /** Small enough that a slice of one event's frame keeps little more than the frame. */
    private static final int MIN_CAPACITY = 256;

    /** The frames of one encoding. */
    private static final class Lane {
        final Object encoding;
        ByteBuf buffer;
        /** Bytes framed since the last pass. */
        int framedThisPass;
        /**
         * The most the lane's recent passes framed, decaying by an eighth a pass: a pass's buffer starts that
         * large, and a quarter more, so that a pass as large as the recent ones fits in one buffer.
         */
        int framedRecently;
        int idlePasses;

        Lane(Object encoding) {
            this.encoding = encoding;
        }
    }

    private final byte[][] payloads = new byte[REMEMBERED][];
    private final ByteBuf[] buffers = new ByteBuf[REMEMBERED];
    private final int[] starts = new int[REMEMBERED];
    private final int[] ends = new int[REMEMBERED];
    private int newest;
    /** At most one per encoding, and encodings are few ({@code Encoding.MAX_ENCODINGS}). */
    private final List<Lane> lanes = new ArrayList<>();
    /** Where the last frame asked for starts and ends in {@link #frame}'s buffer. */
    int start;
    int end;

    /**
     * The buffer holding {@code payload}'s frame (its header byte {@code first}), an event in {@code encoding},
     * framed now unless this pass already did; {@link #start} and {@link #end} say where. The caller retains the
     * buffer to keep it.
     */
    ByteBuf frame(byte[] payload, int first, Object encoding, ByteBufAllocator alloc) {
        for (int i = 0, at = newest; i < REMEMBERED; i++, at = (at + REMEMBERED - 1) % REMEMBERED) {
            if (payloads[at] == payload) {
                start = starts[at];
                end = ends[at];
                return buffers[at];
            }
        }
        Lane lane = lane(encoding);
        int length = FrameBatcher.headerLength(payload.length) + payload.length;
        if (lane.buffer == null || lane.buffer.writableBytes() < length) {
            // As large as the lane's recent passes framed and a quarter more, or twice what this one has so far.
            int expected = Math.max(lane.framedRecently + (lane.framedRecently >> 2), 2 * lane.framedThisPass);
            int capacity = Math.max(length, Math.max(MIN_CAPACITY, Math.min(expected, FrameBatcher.EARLY_FLUSH_BYTES)));
            letGo(lane);
            lane.buffer = alloc.ioBuffer(capacity, capacity);
        }
        ByteBuf buffer = lane.buffer;
        start = buffer.writerIndex();
        FrameBatcher.header(buffer, first, payload.length);
        buffer.writeBytes(payload);
        end = buffer.writerIndex();
        lane.framedThisPass += length;
        newest = (newest + 1) % REMEMBERED;
        payloads[newest] = payload;
        buffers[newest] = buffer;
        starts[newest] = start;
        ends[newest] = end;
        return buffer;
    }

    /** The lane of {@code encoding}, found or made. */
    private Lane lane(Object encoding) {
        for (int i = 0, n = lanes.size(); i < n; i++) {
            Lane lane = lanes.get(i);
            if (lane.encoding == encoding) {
                return lane;
            }
        }
        Lane lane = new Lane(encoding);
        lanes.add(lane);
        return lane;
    }

    /** The loop's write pass is done: each lane's next frames go in a new buffer, sized by its recent passes. */
    void passEnded() {
        for (int i = lanes.size() - 1; i >= 0; i--) {
            Lane lane = lanes.get(i);
            if (ended(lane) && lane.idlePasses > IDLE_PASSES) {
                lanes.remove(i);
            }
        }
    }

    /**
     * Ends a lane's pass; true when it framed nothing in it. A pass without frames (one that wrote only replies, a
     * publisher's acknowledgements) says nothing of how large the next pass of frames will be.
     */
    private boolean ended(Lane lane) {
        if (lane.framedThisPass == 0) {
            lane.idlePasses++;
            return true;
        }
        letGo(lane);
        lane.framedRecently = Math.max(lane.framedThisPass, lane.framedRecently - (lane.framedRecently >> 3));
        lane.framedThisPass = 0;
        lane.idlePasses = 0;
        return false;
    }

    /** Lets a lane's buffer go (connections still writing from it keep it) and forgets the frames in it. */
    private void letGo(Lane lane) {
        ByteBuf buffer = lane.buffer;
        if (buffer == null) {
            return;
        }
        for (int i = 0; i < REMEMBERED; i++) {
            if (buffers[i] == buffer) {
                payloads[i] = null;
                buffers[i] = null;
            }
        }
        lane.buffer = null;
        buffer.release();
    }
}
