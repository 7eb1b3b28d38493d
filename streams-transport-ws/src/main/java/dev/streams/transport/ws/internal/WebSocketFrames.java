package dev.streams.transport.ws.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.lang.System.Logger.Level;

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
            if (msg instanceof TextWebSocketFrame text) {
                session.onText(text.text());
            } else if (msg instanceof BinaryWebSocketFrame) {
                session.fail(null, WebSocketCloseStatus.INVALID_MESSAGE_TYPE.code(), "text frames only");
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
        if (cause instanceof CorruptedWebSocketFrameException) {
            // Netty's decoder has already sent the close frame with the right code (1002, 1007, 1009).
            LOG.log(Level.DEBUG, "peer broke the WebSocket protocol", cause);
            ctx.close();
            return;
        }
        if (cause instanceof TooLongFrameException) {
            session.fail(null, WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message too big");
            return;
        }
        LOG.log(Level.DEBUG, "closing WebSocket after error", cause);
        ctx.close();
    }
}
