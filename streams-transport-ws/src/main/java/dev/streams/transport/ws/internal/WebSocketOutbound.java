package dev.streams.transport.ws.internal;

import dev.streams.core.Event;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.concurrent.TimeUnit;

/**
 * Text frames on a WebSocket: one event-loop turn's frames in one write, permessage-deflate where the client
 * negotiated it and the frame is big enough, and a close frame to end.
 */
public final class WebSocketOutbound extends Outbound {
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
    int event(Event event, FrameEncoding encoding) {
        if (closed) {
            return 0;
        }
        byte[] plain = event.encoded(encoding.plain());
        if (deflate && plain.length >= compressMinBytes) {
            byte[] deflated = event.encoded(encoding.deflated());
            frames.add(deflated, true);
            return deflated.length;
        }
        return message(null, plain);
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
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
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
    void answerClose(CloseWebSocketFrame close) {
        if (closed) {
            close.release();
            channel.close();
            return;
        }
        frames.flush();
        closed = true;
        channel.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
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
