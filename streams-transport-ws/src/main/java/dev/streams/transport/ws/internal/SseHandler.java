package dev.streams.transport.ws.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;

/**
 * The last handler of a Server-Sent Events connection: the client only listens, so anything more it sends is
 * dropped; a quiet stream gets a comment line (proxies and the browser see it alive, and a dead peer shows up
 * as a failed write); writability and the end of the connection go to the session.
 */
final class SseHandler extends SessionChannelHandler {
    private static final System.Logger LOG = System.getLogger(SseHandler.class.getName());
    private final SseOutbound out;

    SseHandler(Session session, SseOutbound out) {
        super(session);
        this.out = out;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (session.isOpen()) { // before the response head (its replay running), nothing may go out
                out.heartbeat();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "closing event stream after error", cause);
        ctx.close();
    }
}
