package dev.streams.transport.ws.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;

/**
 * One connection's pipeline, a handler a job: read back-pressure (which also notes reads for the
 * {@link IdleSweeper}), TLS, HTTP framing, the request deadline, the body limit, flush batching (many frames written in one event-loop turn go out in one
 * syscall), then routing. A WebSocket upgrade swaps the HTTP-only handlers for Netty's WebSocket handlers.
 */
public final class PipelineInitializer extends ChannelInitializer<Channel> {
    private final ServerContext server;
    private final SslContext ssl;

    public PipelineInitializer(ServerContext server, SslContext ssl) {
        this.server = server;
        this.ssl = ssl;
    }

    @Override
    protected void initChannel(Channel channel) {
        configure(channel);
    }

    /** Builds one connection's pipeline (also on an EmbeddedChannel, in tests). */
    void configure(Channel channel) {
        ChannelPipeline p = channel.pipeline();
        if (server.channels().size() >= server.limits().maxConnections()) {
            server.metrics().rejectedConnections.increment();
            p.addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new RefuseOverLimit());
            return;
        }
        server.channels().add(channel);
        ServerMetrics.PerDialect http = server.metrics().of(Dialect.HTTP);
        http.connectionsOpen.increment();
        http.connectionsTotal.increment();
        channel.attr(Dialect.KEY).set(Dialect.HTTP);
        // ConnectionHead gives the place in the gauge back when the connection closes.
        p.addLast(new ConnectionHead(server.metrics()));
        if (ssl != null) {
            p.addLast(ssl.newHandler(channel.alloc()));
        }
        p.addLast(new HttpServerCodec(4096, 16 * 1024, 8192),
                new HttpDeadline(server),
                new OversizeAwareAggregator(server),
                new FlushConsolidationHandler(256, true),
                new HttpRouter(server));
    }

    /** Answers 503 to a connection over the limit and closes it. */
    private static final class RefuseOverLimit extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            HttpErrors.send(ctx, null, null, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many connections");
        }
    }
}
