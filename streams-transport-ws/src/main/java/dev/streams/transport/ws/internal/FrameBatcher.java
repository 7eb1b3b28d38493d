package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Collects what a session sends during one event-loop turn (WebSocket text frames, or Server-Sent Events)
 * into one buffer and writes it once at the end of the turn: one outbound-buffer entry, one pass through the pipeline and one flush for what
 * would otherwise be a frame object, an encoder call and a buffer entry per event. Server frames are not
 * masked (RFC 6455), so a frame is a 2 to 10 byte header and the payload.
 *
 * <p>Lines ({@link #addLine}): for a client that asked for several messages per frame, the messages of one
 * turn go in one text frame, separated by newlines. That frame's payload collects in a buffer of its own and
 * its header is written when it closes (its length known), so nothing is copied twice. Event loop only.
 */
final class FrameBatcher implements Runnable {
    private static final int FIN_TEXT = 0x81;
    /** FIN, RSV1 (permessage-deflate: this message is compressed), text. */
    private static final int FIN_DEFLATED_TEXT = 0xC1;

    private final Channel channel;
    private ByteBuf pending;
    /** The open multi-message frame's payload, after everything in {@link #pending}; null when none is open. */
    private ByteBuf lines;
    private boolean scheduled;

    FrameBatcher(Channel channel) {
        this.channel = channel;
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
     * Adds one message to this turn's multi-message frame (opened by the first), after a newline. The caller
     * guarantees the message holds no raw newline.
     */
    void addLine(byte[] message) {
        if (lines == null) {
            lines = channel.alloc().ioBuffer(Math.max(1024, message.length));
            schedule();
        } else {
            lines.writeByte('\n');
        }
        lines.writeBytes(message);
    }

    private static void header(ByteBuf out, int first, int length) {
        out.writeByte(first);
        if (length < 126) {
            out.writeByte(length);
        } else if (length <= 0xFFFF) {
            out.writeByte(126).writeShort(length);
        } else {
            out.writeByte(127).writeLong(length);
        }
    }

    /** Ends the open multi-message frame: its header goes after what is pending, its payload is written after. */
    private void closeLines() {
        if (lines == null) {
            return;
        }
        ByteBuf before = pending != null ? pending : channel.alloc().ioBuffer(10);
        pending = null;
        header(before, FIN_TEXT, lines.readableBytes());
        channel.write(before, channel.voidPromise());
        channel.write(lines, channel.voidPromise());
        lines = null;
    }

    /**
     * This turn's buffer, to append bytes that are already framed (Server-Sent Events); the first call of a
     * turn allocates it and schedules the write for the end of the turn.
     */
    ByteBuf buffer(int sizeHint) {
        closeLines();
        if (pending == null) {
            pending = channel.alloc().ioBuffer(Math.max(1024, sizeHint));
            schedule();
        }
        return pending;
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            channel.eventLoop().execute(this);
        }
    }

    /** The end-of-turn task: writes what was collected (the batcher is its own task: one object less). */
    @Override
    public void run() {
        flush();
    }

    /** Writes what was collected; called at the end of the turn, and before anything that must come after it. */
    void flush() {
        scheduled = false;
        boolean wroteLines = lines != null;
        closeLines();
        ByteBuf out = pending;
        pending = null;
        if (out != null) {
            channel.writeAndFlush(out, channel.voidPromise());
        } else if (wroteLines) {
            channel.flush();
        }
    }

    /** Drops what was collected without sending it (the channel is gone). */
    void discard() {
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
