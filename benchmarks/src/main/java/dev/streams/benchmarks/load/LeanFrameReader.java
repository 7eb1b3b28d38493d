package dev.streams.benchmarks.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;

/**
 * Reads the frames a server sends where they lie in the bytes read from the socket, and hands each data frame's
 * payload to the caller as a view of those bytes: no frame object, no copy of the payload, one pipeline step per
 * read rather than per frame. Netty's own decoder copies every payload into a buffer of its own and passes each
 * frame down the pipeline; on two cores that was half of what the load tool spent per frame, time the server
 * under test could not have.
 *
 * <p>Only a frame that a read cuts in two is copied, into {@link #carried}, until the rest arrives. Control
 * frames become Netty's frame objects, so that {@code WebSocketClientProtocolHandler} answers pings and closes
 * as before. A fragmented message reaches the caller fragment by fragment (the servers measured send none).
 */
final class LeanFrameReader extends ChannelInboundHandlerAdapter implements WebSocketFrameDecoder {
    private final WsClient.FrameHandler onFrame;
    private final int maxPayload;
    /** The part read so far of a frame that a read cut in two, or null. */
    private ByteBuf carried;

    LeanFrameReader(WsClient.FrameHandler onFrame, int maxPayload) {
        this.onFrame = onFrame;
        this.maxPayload = maxPayload;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (carried != null && !completeCarried(ctx, in)) {
                return;
            }
            while (in.isReadable()) {
                int length = frameLength(in);
                if (length < 0 || in.readableBytes() < length) {
                    carried = ctx.alloc().heapBuffer(Math.max(length, 16));
                    carried.writeBytes(in);
                    return;
                }
                frame(ctx, in, in.readerIndex(), length);
                in.skipBytes(length);
            }
        } finally {
            in.release();
        }
    }

    /** Adds from {@code in} what the carried frame lacks; true once it was whole and handled. */
    private boolean completeCarried(ChannelHandlerContext ctx, ByteBuf in) {
        int length;
        while ((length = frameLength(carried)) < 0) {
            if (!in.isReadable()) {
                return false;
            }
            carried.writeByte(in.readByte());
        }
        int take = Math.min(length - carried.readableBytes(), in.readableBytes());
        carried.writeBytes(in, take);
        if (carried.readableBytes() < length) {
            return false;
        }
        ByteBuf whole = carried;
        carried = null;
        try {
            frame(ctx, whole, whole.readerIndex(), length);
        } finally {
            whole.release();
        }
        return true;
    }

    /** The whole length (header and payload) of the frame at {@code buf}'s reader index, or -1 if its header is cut. */
    private int frameLength(ByteBuf buf) {
        int at = buf.readerIndex();
        int readable = buf.readableBytes();
        if (readable < 2) {
            return -1;
        }
        int second = buf.getByte(at + 1);
        if ((second & 0x80) != 0) {
            throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, "a masked server frame");
        }
        long payload = second & 0x7F;
        int header = 2;
        if (payload == 126) {
            header = 4;
            if (readable < header) {
                return -1;
            }
            payload = buf.getUnsignedShort(at + 2);
        } else if (payload == 127) {
            header = 10;
            if (readable < header) {
                return -1;
            }
            payload = buf.getLong(at + 2);
        }
        if (payload < 0 || payload > maxPayload) {
            throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.MESSAGE_TOO_BIG,
                    "a frame of " + payload + " bytes, over " + maxPayload);
        }
        return header + (int) payload;
    }

    /** Handles the whole frame of {@code length} bytes at {@code at} in {@code buf}. */
    private void frame(ChannelHandlerContext ctx, ByteBuf buf, int at, int length) {
        int first = buf.getByte(at);
        int payload = buf.getByte(at + 1) & 0x7F;
        int start = at + (payload < 126 ? 2 : payload == 126 ? 4 : 10);
        int end = at + length;
        switch (first & 0x0F) {
            case 0x0, 0x1, 0x2 -> {
                // The payload as a view of the bytes read: the same buffer with its indexes narrowed for the call.
                int readerIndex = buf.readerIndex();
                int writerIndex = buf.writerIndex();
                buf.setIndex(start, end);
                try {
                    onFrame.onFrame(ctx.channel(), buf);
                } finally {
                    buf.setIndex(readerIndex, writerIndex);
                }
            }
            case 0x8 -> ctx.fireChannelRead(new CloseWebSocketFrame(true, 0, buf.retainedSlice(start, end - start)));
            case 0x9 -> ctx.fireChannelRead(new PingWebSocketFrame(buf.retainedSlice(start, end - start)));
            case 0xA -> { }
            default -> throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
                    "an unknown opcode " + (first & 0x0F));
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (carried != null) {
            carried.release();
            carried = null;
        }
    }
}
