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
import java.util.concurrent.TimeUnit;

/**
 * One connection's pipeline, a handler a job: read back-pressure (which also notes reads for the
 * {@link IdleSweeper} and holds the connection's place in the {@link ConnectionAdmission} counts), TLS, HTTP
 * framing, the request deadline and keep-alive caps, what a request's head decides before its body, the body limit, flush batching (many frames written in one event-loop turn go out in one
 * syscall), then routing. A WebSocket upgrade swaps the HTTP-only handlers for Netty's WebSocket handlers.
 */
public final class PipelineInitializer extends ChannelInitializer<Channel> {
    private final ServerContext server;
    private final Apis apis;
    private final SslContext ssl;

    public PipelineInitializer(ServerContext server, Apis apis, SslContext ssl) {
        this.server = server;
        this.apis = apis;
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
            p.addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                    new Refuse(apis, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many connections"));
            return;
        }
        java.net.InetAddress peer = ConnectionAdmission.addressOf(channel.remoteAddress());
        String source = server.admission().sourceOf(peer);
        ConnectionAdmission.Refusal refusal = server.admission().admit(source);
        if (refusal != null) {
            p.addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                    new Refuse(apis, HttpResponseStatus.valueOf(refusal.status), refusal.message));
            return;
        }
        server.channels().add(channel);
        ServerMetrics.PerDialect http = server.metrics().of(Dialect.HTTP);
        http.connectionsOpen.increment();
        http.connectionsTotal.increment();
        // ConnectionHead counts the connection under HTTP until a session switches it, and gives the place in the
        // gauge back when the connection closes.
        p.addLast(new ConnectionHead(server.metrics(), server.admission(), source,
                peer != null && source == null));
        if (ssl != null) {
            p.addLast(ssl.newHandler(channel.alloc()));
        }
        p.addLast(new HttpServerCodec(4096, 16 * 1024, 8192),
                new HttpDeadline(server, apis),
                new RequestHeadChecks(server, apis),
                new OversizeAwareAggregator(server, apis),
                new FlushConsolidationHandler(256, true),
                new HttpRouter(server, apis));
    }

    /**
     * Answers the first request of a connection over a limit and closes it; one that sends no request within
     * {@link #SILENT_REFUSED_MILLIS} is just closed, so refused connections never pile up.
     */
    private static final class Refuse extends ChannelInboundHandlerAdapter {
        private static final long SILENT_REFUSED_MILLIS = 2_000;
        private final Apis apis;
        private final HttpResponseStatus status;
        private final String message;

        Refuse(Apis apis, HttpResponseStatus status, String message) {
            this.apis = apis;
            this.status = status;
            this.message = message;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.executor().schedule(() -> {
                ctx.close();
            }, SILENT_REFUSED_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            apis.sendError(ctx, null, null, status, message);
        }
    }
}
