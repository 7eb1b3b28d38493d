package dev.streams.transport.ws.internal;

import dev.streams.auth.AuthException;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import java.nio.charset.StandardCharsets;

/**
 * Routes each HTTP request: health and metrics answer here, an API's call goes to the {@link DialectApi} whose
 * call it is, and the host's endpoints get the rest. A WebSocket upgrade or an event stream gets the session the
 * APIs give for its path; an upgrade then gets {@link WebSocketFrames}, the session's one frame handler (it runs
 * Netty's handshaker, which puts Netty's frame codec in place of HTTP's), and this handler steps out of the pipeline.
 */
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = System.getLogger(HttpRouter.class.getName());
    /** The OpenAPI 3.1 description of the HTTP API, served at {@code /openapi.json}; read once. */
    private static final String OPENAPI = openApi();

    private final ServerContext server;
    private final Apis apis;

    public HttpRouter(ServerContext server, Apis apis) {
        this.server = server;
        this.apis = apis;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        server.metrics().httpRequests.increment();
        if (!request.decoderResult().isSuccess()) {
            reject(ctx, null, null, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
            return;
        }
        if (!request.uri().startsWith("/")) {
            reject(ctx, request, null, HttpResponseStatus.BAD_REQUEST, "the request target must be an absolute path");
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        if (isUpgrade(request)) {
            upgrade(ctx, request, path, query);
            return;
        }
        if (wantsEventStream(request) && request.method().equals(HttpMethod.GET)) {
            Session events = eventStreamFor(ctx, request, path, query);
            if (events != null) {
                startEventStream(ctx, request, events);
                return;
            }
        }
        Apis.Routed call = apis.call(request.method(), path);
        if (call != null && request.content().isReadable()
                && !ByteBufUtil.isText(request.content(), StandardCharsets.UTF_8)) {
            // Decoding would turn the bad bytes into U+FFFD and store that as if the client had sent it.
            reject(ctx, request, path, HttpResponseStatus.BAD_REQUEST, "the body is not UTF-8 text");
            return;
        }
        if (path.equals("/healthz")) {
            if (readOnly(ctx, request, path)) {
                health(ctx, request);
            }
        } else if (path.equals("/openapi.json")) {
            if (readOnly(ctx, request, path)) {
                HttpReplies.send(ctx, request, HttpResponseStatus.OK, "application/json", OPENAPI);
            }
        } else if (path.equals("/metrics")) {
            if (readOnly(ctx, request, path)) {
                HttpReplies.send(ctx, request, HttpResponseStatus.OK, "text/plain; version=0.0.4",
                        server.metrics().render(server.broker()));
            }
        } else if (call != null) {
            call.api().handle(ctx, request, path);
        } else if (!server.hostRoutes().handle(ctx, request, query)) {
            reject(ctx, request, path, HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path);
        }
    }

    /** Broken TLS records, reset connections: log quietly and drop the connection. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "closing HTTP connection after error", cause);
        ctx.close();
    }

    /** GET and HEAD only; anything else gets 405. */
    private boolean readOnly(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD)) {
            return true;
        }
        reject(ctx, request, path, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET");
        return false;
    }

    /**
     * 200 {@code ok} while everything works; 200 {@code degraded} (naming the part: {@code "history":"failing"},
     * {@code "cluster":"unavailable"}) while the history store fails or the cluster engine cannot reach its
     * peers, since live traffic is still served; 503 {@code closing} once the broker closed. Anyone may ask, so
     * the parts' own error text (file names, addresses, SQL) stays in the log and in {@code Broker.historyStatus()}.
     */
    private void health(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (server.broker().isClosed()) {
            HttpReplies.json(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"closing\"}");
            return;
        }
        var history = server.broker().historyStatus();
        var cluster = server.broker().clusterStatus();
        StringBuilder body = new StringBuilder("{\"status\":")
                .append(history.healthy() && cluster.healthy() ? "\"ok\"" : "\"degraded\"");
        if (!history.healthy()) {
            body.append(",\"history\":\"failing\"");
        }
        if (!cluster.healthy()) {
            body.append(",\"cluster\":\"unavailable\"");
        }
        HttpReplies.json(ctx, request, HttpResponseStatus.OK, body.append('}').toString());
    }

    private void reject(ChannelHandlerContext ctx, FullHttpRequest request, String path, HttpResponseStatus status,
                        String message) {
        server.metrics().of(Dialect.HTTP).errors.increment();
        apis.sendError(ctx, request, path, status, message);
    }

    private static boolean wantsEventStream(FullHttpRequest request) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream");
    }

    /** The SSE session for a path that has one, or null (the request then takes its ordinary route). */
    private Session eventStreamFor(ChannelHandlerContext ctx, FullHttpRequest request, String path,
                                   QueryStringDecoder query) {
        DialectApi.StreamRequest opening = new DialectApi.StreamRequest(query, headCredential(ctx, request, query),
                request.headers().get("Last-Event-ID", Requests.param(query, "lastEventId")));
        for (DialectApi api : apis.all()) {
            Session session = api.eventStream(ctx.channel(), path, opening);
            if (session != null) {
                return session;
            }
        }
        return null;
    }

    private HeadCredential headCredential(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query) {
        return new HeadCredential(Requests.credentials(request, query), c -> server.authenticate(ctx.channel(), c));
    }

    /**
     * Answers with the head of an endless {@code text/event-stream} response and hands the connection to the
     * session: the request deadline and body limit are done, the idle handler now sends keep-alive comments.
     */
    private void startEventStream(ChannelHandlerContext ctx, FullHttpRequest request, Session session) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!server.originAllowed(origin)) {
            reject(ctx, request, Requests.path(request), HttpResponseStatus.FORBIDDEN, "origin not allowed");
            return;
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set("X-Accel-Buffering", "no");
        if (origin != null && !server.allowedOrigins().isEmpty()) {
            head.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        ChannelPipeline p = ctx.pipeline();
        p.remove(HttpDeadline.class);
        p.remove(RequestHeadChecks.class);
        p.addLast(new SseHandler(session, (SseOutbound) session.outbound()));
        p.remove(this);
        session.answerWhenLive(() -> {
            ctx.channel().writeAndFlush(head);
            session.opened();
        });
    }

    private static boolean isUpgrade(FullHttpRequest request) {
        return HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String path, QueryStringDecoder query) {
        if (!server.originAllowed(request.headers().get(HttpHeaderNames.ORIGIN))) {
            reject(ctx, request, path, HttpResponseStatus.FORBIDDEN, "origin not allowed");
            return;
        }
        Session session = sessionFor(ctx, request, path, query);
        if (session == null) {
            return;
        }
        ServerLimits limits = server.limits();
        ChannelPipeline p = ctx.pipeline();
        p.remove(HttpDeadline.class);
        p.remove(RequestHeadChecks.class);
        // A WebSocket session batches its own frames per event-loop turn; the flush consolidation of the HTTP
        // phase would only cost each idle connection a handler.
        p.remove(io.netty.handler.flush.FlushConsolidationHandler.class);
        if (server.compression().enabled()) {
            // Sees the request's offer and our 101 on their way, then installs Netty's inflater (bounded).
            p.addLast(new WebSocketServerExtensionHandler(Deflate.handshaker(ctx.channel(), limits.maxMessageBytes())));
        }
        p.addLast(new WebSocketFrames(session, server));
        // WebSocketFrames runs Netty's handshaker on the request: a missing key, version or Connection: Upgrade
        // gets 400, an unsupported version 426, and on success the session opens.
        ctx.fireChannelRead(request.retain());
        p.remove(this);
    }

    /** The session for a WebSocket path, or null after answering the request with an error. */
    private Session sessionFor(ChannelHandlerContext ctx, FullHttpRequest request, String path, QueryStringDecoder query) {
        DialectApi.StreamRequest opening = new DialectApi.StreamRequest(query, headCredential(ctx, request, query), null);
        for (DialectApi api : apis.all()) {
            try {
                Session session = api.webSocket(ctx.channel(), path, opening);
                if (session != null) {
                    return session;
                }
            } catch (AuthException refused) {
                DialectApi.ErrorAnswer answer = api.refusal(refused);
                server.metrics().of(api.dialect()).errors.increment();
                HttpReplies.json(ctx, request, answer.status(), answer.body());
                return null;
            }
        }
        reject(ctx, request, path, HttpResponseStatus.NOT_FOUND, "no WebSocket endpoint at " + path);
        return null;
    }

    private static String openApi() {
        try (java.io.InputStream in = HttpRouter.class.getResourceAsStream("/dev/streams/transport/ws/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the transport's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
