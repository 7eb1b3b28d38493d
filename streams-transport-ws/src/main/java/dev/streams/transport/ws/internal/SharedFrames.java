package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.HashMap;
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
 * topic there (a project's stream, a pattern) takes one run. A connection that takes one topic only asks for the
 * topic's own lane of that encoding instead, where the topic's frames lie side by side however other topics'
 * events interleave with them; an event that both kinds of connection take is framed once in each lane, a copy
 * per loop, never per connection. (Lanes per topic for every connection were tried, and not kept: they cut a
 * pattern subscriber's turn into a piece per event.)
 *
 * <p>Lines: for connections that take several messages per frame ({@code batch=true}), a lane of the same kinds
 * holds each event as a line, a newline and the payload, with no header. A connection's turn is then one run of
 * lines, which it writes after a header of its own as one multi-message frame, without its first newline
 * ({@link FrameBatcher#addSharedLine}).
 *
 * <p>A frame is known by its payload array, whether it is a frame or a line, and the topic lane asked for (the
 * event's own topic string, or none): an event's encoding is made once per event and dialect ({@link FrameEncoding}),
 * so the same array is the same frame. The loop hands one event to all its subscribers before the next, so
 * remembering the last few frames finds nearly every one without looking for its lane.
 *
 * <p>Lifetime: a lane holds one reference to its current buffer; each connection that writes from it holds
 * another until its write is done. A buffer never grows (a connection's slice must not move): when a frame does
 * not fit, the lane lets the buffer go and starts another, and a connection's turn then writes a slice of each.
 * After each write pass the lanes that framed let their buffers go too ({@link #passEnded}), and the next pass
 * starts one sized by what the lane's recent passes framed; a lane idle for {@link #IDLE_PASSES} passes is
 * dropped, so a loop keeps lanes only for the topics it is serving. A slice that waits for a slow reader keeps its
 * whole buffer, and counts so ({@link BufferCapacityEstimator}).
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

    /** The header byte {@link #frame} takes for a line: a newline in front of the payload, no header. */
    static final int LINE = 0;

    /** The frames (or lines) of one encoding, of every topic or of one. */
    private static final class Lane {
        final Object encoding;
        /** What this lane's frames start with: a header's first byte, or {@link #LINE}. */
        final int kind;
        /** In the lane of every topic of this encoding: the lanes of single topics, by topic; null until asked for. */
        HashMap<String, Lane> byTopic;
        ByteBuf buffer;
        /** Bytes framed since the last pass. */
        int framedThisPass;
        /**
         * The most the lane's recent passes framed, decaying by an eighth a pass: a pass's buffer starts that
         * large, and a quarter more, so that a pass as large as the recent ones fits in one buffer.
         */
        int framedRecently;
        /** The last pass this lane framed in. */
        long lastPass;

        Lane(Object encoding, int kind) {
            this.encoding = encoding;
            this.kind = kind;
        }
    }

    private final byte[][] payloads = new byte[REMEMBERED][];
    /** The topic lane each remembered frame was asked for (the event's topic string), or null: every topic's. */
    private final String[] topics = new String[REMEMBERED];
    private final int[] kinds = new int[REMEMBERED];
    private final ByteBuf[] buffers = new ByteBuf[REMEMBERED];
    private final int[] starts = new int[REMEMBERED];
    private final int[] ends = new int[REMEMBERED];
    private int newest;
    /** The lanes of every topic, at most one per encoding, and encodings are few ({@code Encoding.MAX_ENCODINGS}). */
    private final List<Lane> lanes = new ArrayList<>();
    /** The lanes that framed in this pass: only they have buffers to let go when it ends. */
    private final List<Lane> framing = new ArrayList<>();
    private long pass;
    /** Where the last frame asked for starts and ends in {@link #frame}'s buffer. */
    int start;
    int end;

    /**
     * The buffer holding {@code payload}'s frame (its header byte {@code first}, or {@link #LINE} for a line), an
     * event in {@code encoding}, framed now unless this pass already did; {@link #start} and {@link #end} say where.
     * {@code topic}: the event's topic, for a connection that takes that topic only, which finds its frames side by
     * side in the topic's lane; or null, for the lane of every topic. The caller retains the buffer to keep it.
     */
    ByteBuf frame(byte[] payload, int first, Object encoding, String topic, ByteBufAllocator alloc) {
        for (int i = 0, at = newest; i < REMEMBERED; i++, at = (at + REMEMBERED - 1) % REMEMBERED) {
            if (payloads[at] == payload && topics[at] == topic && kinds[at] == first) {
                start = starts[at];
                end = ends[at];
                return buffers[at];
            }
        }
        Lane lane = lane(encoding, first);
        if (topic != null) {
            lane = topicLane(lane, topic);
        }
        int length = (first == LINE ? 1 : FrameBatcher.headerLength(payload.length)) + payload.length;
        if (lane.buffer == null || lane.buffer.writableBytes() < length) {
            // As large as the lane's recent passes framed and a quarter more, or twice what this one has so far.
            int expected = Math.max(lane.framedRecently + (lane.framedRecently >> 2), 2 * lane.framedThisPass);
            int capacity = Math.max(length, Math.max(MIN_CAPACITY, Math.min(expected, FrameBatcher.EARLY_FLUSH_BYTES)));
            letGo(lane);
            lane.buffer = alloc.ioBuffer(capacity, capacity);
        }
        ByteBuf buffer = lane.buffer;
        start = buffer.writerIndex();
        if (first == LINE) {
            buffer.writeByte('\n');
        } else {
            FrameBatcher.header(buffer, first, payload.length);
        }
        buffer.writeBytes(payload);
        end = buffer.writerIndex();
        if (lane.framedThisPass == 0) {
            framing.add(lane);
        }
        lane.framedThisPass += length;
        newest = (newest + 1) % REMEMBERED;
        payloads[newest] = payload;
        topics[newest] = topic;
        kinds[newest] = first;
        buffers[newest] = buffer;
        starts[newest] = start;
        ends[newest] = end;
        return buffer;
    }

    /** The lane of every topic in {@code encoding} whose frames start with {@code kind}, found or made. */
    private Lane lane(Object encoding, int kind) {
        for (int i = 0, n = lanes.size(); i < n; i++) {
            Lane lane = lanes.get(i);
            if (lane.encoding == encoding && lane.kind == kind) {
                return lane;
            }
        }
        Lane lane = new Lane(encoding, kind);
        lane.lastPass = pass;
        lanes.add(lane);
        return lane;
    }

    /** The lane of {@code topic} alone in the encoding of {@code every}, found or made. */
    private Lane topicLane(Lane every, String topic) {
        if (every.byTopic == null) {
            every.byTopic = new HashMap<>();
        }
        Lane lane = every.byTopic.get(topic);
        if (lane == null) {
            lane = new Lane(every.encoding, every.kind);
            lane.lastPass = pass;
            every.byTopic.put(topic, lane);
        }
        return lane;
    }

    /**
     * The loop's write pass is done: each lane that framed in it lets its buffer go, and its next frames go in a
     * new one, sized by its recent passes. A pass without frames in a lane (one that wrote only replies, a
     * publisher's acknowledgements) says nothing of how large its next pass of frames will be. Every so many passes,
     * lanes idle for longer than {@link #IDLE_PASSES} are dropped.
     */
    void passEnded() {
        pass++;
        for (int i = 0, n = framing.size(); i < n; i++) {
            Lane lane = framing.get(i);
            letGo(lane);
            lane.framedRecently = Math.max(lane.framedThisPass, lane.framedRecently - (lane.framedRecently >> 3));
            lane.framedThisPass = 0;
            lane.lastPass = pass;
        }
        framing.clear();
        if (pass % IDLE_PASSES == 0) {
            lanes.removeIf(lane -> {
                if (lane.byTopic != null) {
                    lane.byTopic.values().removeIf(this::idle);
                }
                return idle(lane) && (lane.byTopic == null || lane.byTopic.isEmpty());
            });
        }
    }

    /** How many lanes the loop keeps, of every topic and of single topics: what the idle sweep bounds. */
    int lanesKept() {
        int kept = lanes.size();
        for (int i = 0, n = lanes.size(); i < n; i++) {
            HashMap<String, Lane> byTopic = lanes.get(i).byTopic;
            kept += byTopic == null ? 0 : byTopic.size();
        }
        return kept;
    }

    private boolean idle(Lane lane) {
        return pass - lane.lastPass > IDLE_PASSES;
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
                topics[i] = null;
                buffers[i] = null;
            }
        }
        lane.buffer = null;
        buffer.release();
    }
}
