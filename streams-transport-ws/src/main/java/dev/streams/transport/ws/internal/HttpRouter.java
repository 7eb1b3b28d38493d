package dev.streams.transport.ws.internal;

import dev.streams.transport.ws.internal.golioth.DeviceIngestHttp;
import dev.streams.transport.ws.internal.golioth.GoliothSession;
import dev.streams.transport.ws.internal.m3o.M3oHttp;
import dev.streams.transport.ws.internal.m3o.M3oSession;
import dev.streams.transport.ws.internal.nativeproto.NativeSession;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes each HTTP request to its dialect: plain HTTP endpoints answer here, WebSocket upgrades get a
 * session of their dialect and this handler steps out of the pipeline.
 */
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Pattern M3O = Pattern.compile("^(?:/v1)?/streams(?:/streams)?/(publish|token|subscribe)/?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern GOLIOTH_STREAM = Pattern.compile("^/v1/ws/projects/([^/]+)(?:/devices/([^/]+))?/stream/?$");
    private static final Pattern INGEST = Pattern.compile("^/v1/projects/([^/]+)/devices/([^/]+)/stream(?:/(.+?))?/?$");
    private static final String NATIVE = "/v1/ws/native";

    private static final System.Logger LOG = System.getLogger(HttpRouter.class.getName());

    private final ServerContext server;
    private final M3oHttp m3o;
    private final DeviceIngestHttp ingest;

    public HttpRouter(ServerContext server) {
        this.server = server;
        this.m3o = new M3oHttp(server);
        this.ingest = new DeviceIngestHttp(server);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        server.metrics().httpRequests.increment();
        if (!request.decoderResult().isSuccess()) {
            HttpReplies.json(ctx, null, HttpResponseStatus.BAD_REQUEST, "{\"code\":400,\"message\":\"malformed HTTP request\"}");
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        if (isUpgrade(request)) {
            upgrade(ctx, request, path, query);
            return;
        }
        Matcher m3oPath = M3O.matcher(path);
        Matcher ingestPath = INGEST.matcher(path);
        if (path.equals("/healthz")) {
            health(ctx, request);
        } else if (path.equals("/metrics")) {
            HttpReplies.send(ctx, request, HttpResponseStatus.OK, "text/plain; version=0.0.4",
                    server.metrics().render(server.broker()));
        } else if (m3oPath.matches()) {
            m3o.handle(ctx, request, m3oPath.group(1));
        } else if (ingestPath.matches()) {
            ingest.handle(ctx, request, ingestPath.group(1), ingestPath.group(2), ingestPath.group(3));
        } else if (!server.hostRoutes().handle(ctx, request, query)) {
            notFound(ctx, request, path);
        }
    }

    /** Broken TLS records, reset connections, malformed framing: log quietly and drop the connection. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "closing HTTP connection after error", cause);
        ctx.close();
    }

    private void health(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean up = !server.broker().isClosed();
        HttpReplies.json(ctx, request, up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                up ? "{\"status\":\"ok\"}" : "{\"status\":\"closing\"}");
    }

    private void notFound(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        server.metrics().of(Dialect.HTTP).errors.increment();
        HttpReplies.json(ctx, request, HttpResponseStatus.NOT_FOUND,
                "{\"code\":404,\"message\":" + Json.GSON.toJson("no such endpoint: " + path) + "}");
    }

    private static boolean isUpgrade(FullHttpRequest request) {
        return request.method().equals(HttpMethod.GET)
                && HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String path, QueryStringDecoder query) {
        if (!server.originAllowed(request.headers().get(HttpHeaderNames.ORIGIN))) {
            server.metrics().of(Dialect.HTTP).errors.increment();
            HttpReplies.json(ctx, request, HttpResponseStatus.FORBIDDEN, "{\"code\":403,\"message\":\"origin not allowed\"}");
            return;
        }
        Session session = sessionFor(ctx, request, path, query);
        if (session == null) {
            notFound(ctx, request, path);
            return;
        }
        String scheme = ctx.pipeline().get(SslHandler.class) != null ? "wss://" : "ws://";
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                scheme + request.headers().get(HttpHeaderNames.HOST, "localhost") + path, null, false,
                server.maxFrameBytes()).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        server.sessions().add(session);
        ServerMetrics.PerDialect metrics = server.metrics().of(session.dialect());
        metrics.connectionsOpen.increment();
        metrics.connectionsTotal.increment();
        ctx.pipeline().addLast(new WebSocketFrameAggregator(server.maxMessageBytes()), new WebSocketFrames(session));
        ctx.pipeline().remove(this);
        handshaker.handshake(ctx.channel(), request).addListener(done -> {
            if (done.isSuccess()) {
                session.onOpen();
            } else {
                ctx.close();
            }
        });
    }

    private Session sessionFor(ChannelHandlerContext ctx, FullHttpRequest request, String path, QueryStringDecoder query) {
        Matcher m3oPath = M3O.matcher(path);
        if (m3oPath.matches() && m3oPath.group(1).equalsIgnoreCase("subscribe")) {
            return new M3oSession(ctx.channel(), server, Requests.credentials(request, query), query);
        }
        Matcher golioth = GOLIOTH_STREAM.matcher(path);
        if (golioth.matches()) {
            return new GoliothSession(ctx.channel(), server, Requests.credentials(request, query), query,
                    golioth.group(1), golioth.group(2));
        }
        if (path.equals(NATIVE) || path.equals(NATIVE + "/")) {
            return new NativeSession(ctx.channel(), server, Requests.credentials(request, query));
        }
        return null;
    }
}
