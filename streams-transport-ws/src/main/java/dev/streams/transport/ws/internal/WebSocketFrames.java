package dev.streams.transport.ws.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.lang.System.Logger.Level;

/**
 * The last handler of a WebSocket pipeline: hands complete text messages to the session, answers pings,
 * pings an idle client once and drops it when it stays silent, and tells the session about writability.
 */
public final class WebSocketFrames extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final System.Logger LOG = System.getLogger(WebSocketFrames.class.getName());
    private final Session session;
    private boolean pinged;

    public WebSocketFrames(Session session) {
        this.session = session;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        pinged = false;
        if (frame instanceof TextWebSocketFrame text) {
            session.onText(text.text());
        } else if (frame instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            session.close(1000, "bye");
        } else if (frame instanceof BinaryWebSocketFrame) {
            session.fail(null, Session.UNSUPPORTED, "text frames only");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (pinged) {
                session.close(Session.GOING_AWAY, "idle timeout");
            } else {
                pinged = true;
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        session.writabilityChanged();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        session.closed();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedWebSocketFrameException) {
            session.fail(null, Session.TOO_BIG, "message too big");
            return;
        }
        LOG.log(Level.DEBUG, "closing WebSocket after error", cause);
        ctx.close();
    }
}
