package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Collects what a session sends during one event-loop turn (WebSocket text frames, or Server-Sent Events)
 * into one buffer and writes it once at the end of the turn: one outbound-buffer entry, one pass through the pipeline and one flush for what
 * would otherwise be a frame object, an encoder call and a buffer entry per event. Server frames are not
 * masked (RFC 6455), so a frame is a 2 to 10 byte header and the payload. Event loop only.
 */
final class FrameBatcher implements Runnable {
    private static final int FIN_TEXT = 0x81;
    /** FIN, RSV1 (permessage-deflate: this message is compressed), text. */
    private static final int FIN_DEFLATED_TEXT = 0xC1;

    private final Channel channel;
    private ByteBuf pending;

    FrameBatcher(Channel channel) {
        this.channel = channel;
    }

    void add(byte[] payload) {
        add(payload, false);
    }

    /** Adds one text message; {@code deflated} when the payload is permessage-deflate compressed. */
    void add(byte[] payload, boolean deflated) {
        ByteBuf pending = buffer(payload.length + 10);
        pending.writeByte(deflated ? FIN_DEFLATED_TEXT : FIN_TEXT);
        int length = payload.length;
        if (length < 126) {
            pending.writeByte(length);
        } else if (length <= 0xFFFF) {
            pending.writeByte(126).writeShort(length);
        } else {
            pending.writeByte(127).writeLong(length);
        }
        pending.writeBytes(payload);
    }

    /**
     * This turn's buffer, to append bytes that are already framed (Server-Sent Events); the first call of a
     * turn allocates it and schedules the write for the end of the turn.
     */
    ByteBuf buffer(int sizeHint) {
        if (pending == null) {
            pending = channel.alloc().ioBuffer(Math.max(1024, sizeHint));
            channel.eventLoop().execute(this);
        }
        return pending;
    }

    /** The end-of-turn task: writes what was collected (the batcher is its own task: one object less). */
    @Override
    public void run() {
        flush();
    }

    /** Writes what was collected; called at the end of the turn, and before anything that must come after it. */
    void flush() {
        ByteBuf out = pending;
        pending = null;
        if (out != null) {
            channel.writeAndFlush(out, channel.voidPromise());
        }
    }

    /** Drops what was collected without sending it (the channel is gone). */
    void discard() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
