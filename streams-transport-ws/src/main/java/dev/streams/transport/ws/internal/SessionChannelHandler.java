package dev.streams.transport.ws.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The last handler of a session's connection, WebSocket or Server-Sent Events: what every transport tells
 * its session (writability, the end of the connection). Subclasses read what their transport receives.
 */
abstract class SessionChannelHandler extends ChannelInboundHandlerAdapter {
    protected final Session session;

    SessionChannelHandler(Session session) {
        this.session = session;
    }

    /** The session a connection carries (its handler is last in the pipeline), or null. Any thread. */
    static Session sessionOf(Channel channel) {
        return channel.pipeline().last() instanceof SessionChannelHandler handler ? handler.session : null;
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
}
