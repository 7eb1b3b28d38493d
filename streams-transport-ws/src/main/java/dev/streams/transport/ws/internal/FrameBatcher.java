package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Collects what a session sends during one event-loop turn (WebSocket text frames, or Server-Sent Events) into one
 * buffer and writes it once at the end of the turn: one outbound-buffer entry, one pass through the pipeline and
 * one flush for what would otherwise be a frame object, an encoder call and a buffer entry per event. Server frames
 * are not masked (RFC 6455), so a frame is a 2 to 10 byte header and the payload.
 *
 * <p>Lines ({@link #addLine}): for a client that asked for several messages per frame, the messages of one
 * turn go in one text frame, separated by newlines. That frame's payload collects in a buffer of its own after
 * room for the longest header, which is written in front of it when the frame closes (its length known): one
 * buffer and one write per frame, and nothing copied twice.
 *
 * <p>Events' frames ({@link #addShared}) are not copied while they are a run of what the loop framed for all its
 * connections ({@link SharedFrames}): the turn then writes a slice of the loop's shared buffer. So are events' lines
 * ({@link #addSharedLine}): the turn's multi-message frame is then a header of its own and a slice. A turn that
 * takes anything else (a reply, a gap, another topic's frames between its own) goes on in a buffer of its own, as
 * does a connection that has bytes waiting, so a lagging client keeps only what it is sent.
 *
 * <p>After each flush it brings this connection's share of the server's {@link OutboundBudget} up to date
 * ({@link BudgetShare}). Event loop only.
 */
final class FrameBatcher implements Runnable {
    private static final int FIN_TEXT = 0x81;
    /** FIN, RSV1 (permessage-deflate: this message is compressed), text. */
    private static final int FIN_DEFLATED_TEXT = 0xC1;
    /** What one turn collects before it is written without waiting for the turn's end. */
    static final int EARLY_FLUSH_BYTES = 64 * 1024;
    /** The longest frame header: two bytes and a 64-bit length. */
    private static final int MAX_HEADER = 10;

    private final Channel channel;
    private final BudgetShare budget;
    /** Told after each write and when the outbound buffer empties; one reference, no lambdas per connection. */
    private Owner owner;
    private ByteBuf pending;
    /**
     * This turn's frames while they are one run of the loop's {@link SharedFrames}: its buffer (retained for this
     * connection) and where the run starts and ends; null when the turn has a buffer of its own, or nothing.
     */
    private ByteBuf shared;
    private int sharedStart;
    private int sharedEnd;
    /** The shared run is lines (each a newline and a message), the payload of one multi-message frame. */
    private boolean sharedLines;
    /** The open multi-message frame's payload, after everything in {@link #pending}; null when none is open. */
    private ByteBuf lines;
    private boolean scheduled;
    /**
     * The bytes of this connection's last write: the next turn's buffer starts that large, and a quarter more.
     * Growing a buffer copies what it holds into a larger one, and a fan-out turn that fills 1 KiB three times
     * over copied 3 KiB to write 4; a connection's turns are about as large as its last.
     */
    private int lastWriteBytes;

    FrameBatcher(Channel channel, OutboundBudget budget) {
        this.channel = channel;
        this.budget = new BudgetShare(channel, budget);
    }

    void add(byte[] payload) {
        add(payload, false);
    }

    /** Adds one text message; {@code deflated} when the payload is permessage-deflate compressed. */
    void add(byte[] payload, boolean deflated) {
        ByteBuf pending = buffer(payload.length + 10);
        header(pending, deflated ? FIN_DEFLATED_TEXT : FIN_TEXT, payload.length);
        pending.writeBytes(payload);
    }

    /**
     * Writes what was collected before the turn ends when {@code adding} more bytes would take it past
     * {@link #EARLY_FLUSH_BYTES}: until it is written the channel's writability cannot see it, and subscriptions
     * that pull while the channel is writable would otherwise pour a whole queue into this buffer within one turn.
     * Written before, not after, the bytes that would pass it: a buffer that starts at the early-flush size then
     * never grows, which would copy all it holds into one twice as large (flat out, every turn did).
     */
    private void flushBefore(int adding) {
        long collected = (pending == null ? 0 : pending.readableBytes()) + (lines == null ? 0 : lines.readableBytes())
                + (shared == null ? 0 : sharedEnd - sharedStart);
        // A multi-message frame keeps room for its header in front, and a line needs its newline.
        if (collected > 0 && collected + adding > EARLY_FLUSH_BYTES - MAX_HEADER - 1) {
            flush();
        }
    }

    /**
     * Adds one message to this turn's multi-message frame (opened by the first), after a newline. The caller
     * guarantees the message holds no raw newline.
     */
    void addLine(byte[] message) {
        flushBefore(message.length);
        unshare(0);
        if (lines == null) {
            lines = channel.alloc().ioBuffer(startCapacity(MAX_HEADER + message.length));
            lines.writerIndex(MAX_HEADER).readerIndex(MAX_HEADER);
            schedule();
        } else {
            lines.writeByte('\n');
        }
        lines.writeBytes(message);
    }

    /**
     * {@link #addLine}, for an event whose {@code payload} is the event's {@code encoding}, the same array for every
     * connection: while this turn holds nothing else and the channel has nothing waiting, its line is taken from
     * the loop's {@link SharedFrames}, not copied, from the lane of {@code topic} or of every topic (null).
     */
    void addSharedLine(byte[] payload, Object encoding, String topic) {
        LoopFlusher flusher = LoopFlusher.of(channel.eventLoop());
        if (flusher == null || budget.counted() > 0 || pending != null || lines != null
                || (shared != null && !sharedLines)) {
            addLine(payload);
            return;
        }
        flushBefore(1 + payload.length);
        SharedFrames frames = flusher.frames();
        ByteBuf framed = frames.frame(payload, SharedFrames.LINE, encoding, topic, channel.alloc());
        if (shared == framed && sharedEnd != frames.start) {
            // Other lines came between (another topic's, for a connection in the lane of every topic).
            addLine(payload);
            return;
        }
        if (shared != null && shared != framed) {
            // Another buffer (the lane's filled, or another lane): this frame ends here, the next starts there.
            writeSharedLines();
        }
        takeShared(framed, frames, flusher);
        sharedLines = true;
    }

    /** Writes the turn's run of lines as one frame: a header of its own, then the run less its first newline. */
    private void writeSharedLines() {
        sharedLines = false;
        sharedStart++;
        ByteBuf header = channel.alloc().ioBuffer(MAX_HEADER);
        header(header, FIN_TEXT, sharedEnd - sharedStart);
        channel.write(header, channel.voidPromise());
        channel.write(sharedSlice(), channel.voidPromise());
    }

    /** Starts this turn's shared run with what {@code frames} just framed, or extends it; false if that is not next. */
    private boolean takeShared(ByteBuf framed, SharedFrames frames, LoopFlusher flusher) {
        if (shared == null) {
            shared = framed.retain();
            sharedStart = frames.start;
            schedule(flusher);
        } else if (shared != framed || sharedEnd != frames.start) {
            return false;
        }
        sharedEnd = frames.end;
        return true;
    }

    /** {@link #addShared(byte[], boolean, Object, String)} from the lane of every topic. */
    void addShared(byte[] payload, boolean deflated, Object encoding) {
        addShared(payload, deflated, encoding, null);
    }

    /**
     * Adds the text frame of an event whose {@code payload} is the event's {@code encoding}, the same array for every
     * connection ({@code deflated} when compressed for permessage-deflate). While this turn holds nothing else and
     * the channel has nothing waiting, the frame is taken from the loop's {@link SharedFrames}, not copied: from the
     * lane of {@code topic} for a connection that takes that topic only, else from the lane of every topic.
     */
    void addShared(byte[] payload, boolean deflated, Object encoding, String topic) {
        int first = deflated ? FIN_DEFLATED_TEXT : FIN_TEXT;
        LoopFlusher flusher = LoopFlusher.of(channel.eventLoop());
        if (flusher == null || budget.counted() > 0 || pending != null || lines != null || sharedLines) {
            add(payload, deflated);
            return;
        }
        flushBefore(headerLength(payload.length) + payload.length);
        SharedFrames frames = flusher.frames();
        ByteBuf framed = frames.frame(payload, first, encoding, topic, channel.alloc());
        if (takeShared(framed, frames, flusher)) {
            return;
        }
        if (shared != framed) {
            // Another buffer (the lane's last one filled, or another lane): a run there, written after this one.
            channel.write(sharedSlice(), channel.voidPromise());
            takeShared(framed, frames, flusher);
        } else {
            // Not the run the others take (another topic's frames came between): this turn's own buffer from here.
            add(payload, deflated);
        }
    }

    /**
     * Moves this turn's shared run into a buffer of its own, with room for {@code adding} bytes more: something
     * that is not the loop's shared frames follows it.
     */
    private void unshare(int adding) {
        if (shared == null) {
            return;
        }
        ByteBuf run = shared;
        int length = sharedEnd - sharedStart;
        shared = null;
        if (sharedLines) {
            // The multi-message frame goes on open in a buffer of its own, without the run's first newline.
            sharedLines = false;
            lines = channel.alloc().ioBuffer(startCapacity(MAX_HEADER + length + adding));
            lines.writerIndex(MAX_HEADER).readerIndex(MAX_HEADER);
            lines.writeBytes(run, sharedStart + 1, length - 1);
        } else {
            pending = channel.alloc().ioBuffer(startCapacity(length + adding));
            pending.writeBytes(run, sharedStart, length);
        }
        run.release();
    }

    /**
     * This turn's shared run, taken to be written: a slice of the loop's buffer, which takes this connection's
     * reference with it. While it waits, it keeps the whole buffer, and counts so (BufferCapacityEstimator).
     */
    private ByteBuf sharedSlice() {
        ByteBuf run = shared;
        int length = sharedEnd - sharedStart;
        shared = null;
        lastWriteBytes = length;
        return run.slice(sharedStart, length);
    }

    /** The length of the header of a frame with {@code length} bytes of payload. */
    static int headerLength(int length) {
        return length < 126 ? 2 : length <= 0xFFFF ? 4 : MAX_HEADER;
    }

    static void header(ByteBuf out, int first, int length) {
        out.writeByte(first);
        if (length < 126) {
            out.writeByte(length);
        } else if (length <= 0xFFFF) {
            out.writeByte(126).writeShort(length);
        } else {
            out.writeByte(127).writeLong(length);
        }
    }

    /** Ends the open multi-message frame: what is pending goes first, then the frame, its header in front. */
    private void closeLines() {
        if (lines == null) {
            return;
        }
        // Taken out of the fields before writing: a write may run tasks, this batcher's flush among them
        // (an EmbeddedChannel does).
        ByteBuf frame = lines;
        ByteBuf before = pending;
        lines = null;
        pending = null;
        if (before != null) {
            channel.write(fitted(before), channel.voidPromise());
        }
        headerInFront(frame, FIN_TEXT);
        channel.write(fitted(frame), channel.voidPromise());
    }

    /** Writes a frame header into the room left before {@code payload}'s readable bytes, and takes it in. */
    private static void headerInFront(ByteBuf payload, int first) {
        int length = payload.readableBytes();
        int at = payload.readerIndex() - headerLength(length);
        int end = payload.writerIndex();
        payload.readerIndex(at).writerIndex(at);
        header(payload, first, length);
        payload.writerIndex(end);
    }

    /**
     * This turn's buffer, to append bytes that are already framed (Server-Sent Events); the first call of a
     * turn allocates it and schedules the write for the end of the turn.
     */
    ByteBuf buffer(int sizeHint) {
        flushBefore(sizeHint);
        unshare(sizeHint);
        closeLines();
        if (pending == null) {
            pending = channel.alloc().ioBuffer(startCapacity(sizeHint));
            schedule();
        }
        return pending;
    }

    /** A turn's first buffer: room for {@code sizeHint}, and for what the last write held (within limits). */
    private int startCapacity(int sizeHint) {
        int expected = Math.min(lastWriteBytes + (lastWriteBytes >> 2), EARLY_FLUSH_BYTES);
        return Math.max(Math.max(1024, sizeHint), expected);
    }

    private void schedule() {
        if (!scheduled) {
            schedule(LoopFlusher.of(channel.eventLoop()));
        }
    }

    /** Schedules the turn's write with {@code flusher}, the channel's loop's (already looked up), or null. */
    private void schedule(LoopFlusher flusher) {
        if (!scheduled) {
            scheduled = true;
            if (flusher != null) {
                flusher.add(this);
            } else {
                channel.eventLoop().execute(this);
            }
        }
    }

    /** The end-of-turn task: writes what was collected (the batcher is its own task: one object less). */
    @Override
    public void run() {
        flush();
    }

    /**
     * Writes what was collected; called at the end of the turn (by the loop's {@link LoopFlusher}), and before
     * anything that must come after it. Nothing collected: nothing to do.
     */
    void flush() {
        scheduled = false;
        // A turn is a shared run, or a buffer of its own with perhaps a multi-message frame after it; never both.
        // Written and flushed in one pass through the pipeline where the turn is one buffer.
        if (shared != null && sharedLines) {
            writeSharedLines();
            channel.flush();
        } else if (shared != null) {
            channel.writeAndFlush(sharedSlice(), channel.voidPromise());
        } else if (lines != null) {
            closeLines();
            channel.flush();
        } else if (pending != null) {
            ByteBuf out = pending;
            pending = null;
            channel.writeAndFlush(fitted(out), channel.voidPromise());
        } else {
            return;
        }
        if (owner != null) {
            owner.flushed();
        }
        budget.recount();
    }

    /**
     * {@code buffer}, or a copy of its bytes that fits them, when it would wait behind earlier writes in the
     * outbound buffer: a turn's buffer starts at 1 KiB or more, so that a turn rarely grows it, but a client that
     * lags keeps its buffers for long, and one 150-byte event in a 1 KiB buffer would hold seven times what it
     * sends. Every buffer written passes here, which is where the next turn's start size is learned.
     */
    private ByteBuf fitted(ByteBuf buffer) {
        int readable = buffer.readableBytes();
        lastWriteBytes = readable;
        if (buffer.capacity() <= 2 * readable + 64 || budget.counted() == 0) {
            return buffer;
        }
        ByteBuf fitted = channel.alloc().ioBuffer(readable, readable).writeBytes(buffer);
        buffer.release();
        return fitted;
    }

    /** Bytes of this channel counted in the budget. */
    long heldBytes() {
        return budget.counted();
    }

    /** Who hears of this batcher's writes (a session). */
    interface Owner {
        /** What was collected was written: once a turn, not once a frame. */
        void flushed();

        /** The channel's outbound buffer emptied after holding bytes. */
        void drained();
    }

    void owner(Owner owner) {
        this.owner = owner;
        budget.owner(owner);
    }

    /** Drops what was collected without sending it (the channel is gone), and this channel's share of the budget. */
    void discard() {
        budget.release();
        if (shared != null) {
            shared.release();
            shared = null;
            sharedLines = false;
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
        if (lines != null) {
            lines.release();
            lines = null;
        }
    }
}
