package dev.streams.transport.ws.internal;

import dev.streams.core.Event;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Frames on a WebSocket, all framed here (Netty's frame encoder is not in the pipeline): one event-loop turn's
 * text frames in one write, permessage-deflate where the client negotiated it and the frame is big enough, the
 * control frames, and a close frame to end, after which nothing is sent.
 */
public final class WebSocketOutbound extends Outbound {
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    /** How long a client gets to take our close frame before the connection is dropped. */
    private static final long CLOSE_GRACE_MILLIS = 2000;

    private final Channel channel;
    private final int compressMinBytes;
    private final FrameBatcher frames;
    private boolean deflate;
    /** Several messages per frame, newline-separated (the native protocol's {@code batch=true}). */
    private boolean lines;
    /** Our close frame is out (or the client's answered): no frame may follow it (RFC 6455, 5.5.1). */
    private boolean closed;

    public WebSocketOutbound(Channel channel, ServerContext server) {
        this.channel = channel;
        this.compressMinBytes = server.compression().minBytes();
        this.frames = new FrameBatcher(channel, server.outboundBudget());
    }

    @Override
    void opened() {
        // hasAttr first: asking for an attribute that was never set would allocate it on every connection.
        deflate = channel.hasAttr(Deflate.NEGOTIATED) && Boolean.TRUE.equals(channel.attr(Deflate.NEGOTIATED).get());
    }

    /**
     * From now on, messages of one event-loop turn share a text frame, newline-separated; an event big enough
     * to compress still goes in a compressed frame of its own (compressed once for every connection). Only for
     * a dialect whose messages never hold a raw newline.
     */
    public void sendLines() {
        lines = true;
    }

    @Override
    int event(Event event, FrameEncoding encoding, boolean topicLane) {
        if (closed) {
            return 0;
        }
        byte[] plain = event.encoded(encoding.plain());
        String lane = topicLane ? event.topic() : null;
        if (deflate && plain.length >= compressMinBytes) {
            byte[] deflated = event.encoded(encoding.deflated());
            frames.addShared(deflated, true, encoding.deflated(), lane);
            return deflated.length;
        }
        if (lines) {
            frames.addSharedLine(plain, encoding.plain(), lane);
        } else {
            // The event's encoding is the same array for every connection: its frame can be too.
            frames.addShared(plain, false, encoding.plain(), lane);
        }
        return plain.length;
    }

    @Override
    int message(String kind, byte[] utf8) {
        if (closed) {
            return 0;
        }
        if (lines) {
            frames.addLine(utf8);
        } else {
            frames.add(utf8, false);
        }
        return utf8.length;
    }

    @Override
    void end(byte[] lastMessage, int code, String reason) {
        if (lastMessage != null && !closed) {
            frames.add(lastMessage, false);
        }
        end(code, reason);
    }

    @Override
    void end(int code, String reason) {
        if (closed) {
            return;
        }
        frames.flush();
        closed = true;
        if (!channel.isWritable()) {
            // A client that stopped reading would never receive the close frame: drop it now.
            channel.close();
            return;
        }
        control(CLOSE, closePayload(code, reason)).addListener(ChannelFutureListener.CLOSE);
        // A client whose socket takes the frame but never lets the write finish is dropped all the same.
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The client's close frame: answered with the same code and reason after what this turn collected, and the
     * connection closed once it is out; when our own close frame went first, this is its answer and the
     * connection closes now.
     */
    void answerClose(ByteBuf payload) {
        if (closed) {
            payload.release();
            channel.close();
            return;
        }
        closed = true;
        control(CLOSE, payload).addListener(ChannelFutureListener.CLOSE);
    }

    /** Answers a ping with its payload, unless the close frame is out already. */
    void pong(ByteBuf payload) {
        if (closed) {
            payload.release();
            return;
        }
        control(PONG, payload);
    }

    /** Pings the client, to see whether it is still there. */
    void ping() {
        if (!closed) {
            control(PING, Unpooled.EMPTY_BUFFER);
        }
    }

    /**
     * Writes a control frame (ping, pong or close: FIN and {@code opcode}, at most 125 bytes of payload, which it
     * releases) after everything collected so far, at once. The frame codec's encoder is not in the pipeline
     * (every frame is framed here), so control frames are too.
     */
    private ChannelFuture control(int opcode, ByteBuf payload) {
        frames.flush();
        int length = Math.min(payload.readableBytes(), 125);
        ByteBuf frame = channel.alloc().ioBuffer(2 + length);
        FrameBatcher.header(frame, 0x80 | opcode, length);
        frame.writeBytes(payload, payload.readerIndex(), length);
        payload.release();
        return channel.writeAndFlush(frame);
    }

    /** A close frame's payload: the code, then as much of the reason as fits in a control frame. */
    private ByteBuf closePayload(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = text.length;
        if (length > 123) {
            // Cut at a character boundary: the reason must stay UTF-8.
            length = 123;
            while (length > 0 && (text[length] & 0xC0) == 0x80) {
                length--;
            }
        }
        return channel.alloc().buffer(2 + length).writeShort(code).writeBytes(text, 0, length);
    }

    @Override
    FrameBatcher frames() {
        return frames;
    }

    @Override
    void discard() {
        frames.discard();
    }
}
