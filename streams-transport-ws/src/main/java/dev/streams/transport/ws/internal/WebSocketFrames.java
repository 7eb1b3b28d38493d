package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * The last handler of a WebSocket pipeline, after Netty's protocol handler (which answers pings, runs the
 * close handshake and validates frames and UTF-8): opens the session when the handshake completes, hands it
 * complete text messages, pings an idle client once and drops it when it stays silent, and tells the session
 * about writability and the end of the connection.
 */
public final class WebSocketFrames extends SessionChannelHandler {
    private static final System.Logger LOG = System.getLogger(WebSocketFrames.class.getName());
    private boolean pinged;

    public WebSocketFrames(Session session) {
        super(session);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            pinged = false;
            if (msg instanceof WebSocketFrame frame && frame.rsv() != 0) {
                // The extension decoders (permessage-deflate, when negotiated) have cleared the bits they own.
                session.end(null, WebSocketCloseStatus.PROTOCOL_ERROR.code(), "reserved bits set without an extension");
            } else if (msg instanceof TextWebSocketFrame text) {
                if (!ByteBufUtil.isText(text.content(), StandardCharsets.UTF_8)) {
                    session.end(null, WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(), "text is not UTF-8");
                    return;
                }
                session.received(text.text());
            } else if (msg instanceof BinaryWebSocketFrame) {
                session.end(null, WebSocketCloseStatus.INVALID_MESSAGE_TYPE.code(), "text frames only");
            }
            // Pongs (answers to our ping) only count as a sign of life.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            session.opened();
            return;
        }
        if (evt instanceof IdleStateEvent) {
            if (pinged) {
                session.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "idle timeout");
            } else {
                pinged = true;
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            // Netty's decoder stopped reading and left the close to us (closeOnProtocolViolation is off: after a
            // broken close frame it would drop the connection without one). The close frame carries its code:
            // 1002, 1007 (not UTF-8) or 1009.
            LOG.log(Level.DEBUG, "peer broke the WebSocket protocol", cause);
            String reason = String.valueOf(corrupt.getMessage());
            // The decoder checks UTF-8 only in close frames (text is checked above): a broken close reason is a
            // protocol error, as is an invalid close code.
            int code = corrupt.closeStatus() == WebSocketCloseStatus.INVALID_PAYLOAD_DATA
                    ? WebSocketCloseStatus.PROTOCOL_ERROR.code() : corrupt.closeStatus().code();
            session.end(null, code, reason.length() > 120 ? reason.substring(0, 120) : reason);
            return;
        }
        if (cause instanceof TooLongFrameException) {
            session.end(null, WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message too big");
            return;
        }
        LOG.log(Level.DEBUG, "closing WebSocket after error", cause);
        ctx.close();
    }
}
