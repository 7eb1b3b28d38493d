package dev.streams.transport.ws.internal;

import dev.streams.auth.AuthException;
import dev.streams.auth.AuthFailure;
import dev.streams.auth.Principal;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * What a request's head decides before its body is read, so that nothing is buffered for a request that will be
 * refused:
 * <ul>
 *   <li>an HTTP version other than 1.0 or 1.1 gets 505;</li>
 *   <li>a connection from a trusted proxy counts, from its first request, under the client address the proxy
 *       forwards (429 when that address is at its limit);</li>
 *   <li>the API calls (m3o Publish and Token, device ingest, history queries) are authenticated from the
 *       headers and query, once: a refused credential gets the dialect's 401 or 403 at once, an accepted one is
 *       handed to the call's handler ({@link ServerContext#requestPrincipal}).</li>
 * </ul>
 * A refused request's body is discarded as it arrives and the connection closed once the answer is written.
 */
final class RequestHeadChecks extends ChannelInboundHandlerAdapter {
    private final ServerContext server;
    private final Apis apis;
    /** A refusal was sent: what else the client sends is dropped until the connection closes. */
    private boolean discarding;

    RequestHeadChecks(ServerContext server, Apis apis) {
        this.server = server;
        this.apis = apis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (discarding) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess() && !passes(ctx, request)) {
            discarding = true;
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Checks one request head; on refusal the answer is on its way and false returned. */
    private boolean passes(ChannelHandlerContext ctx, HttpRequest request) {
        // Whatever an earlier request left (it was answered before its handler took it) is not this one's. Only
        // connections that made API calls have the attribute: a WebSocket's idle connection keeps no entry.
        if (ctx.channel().hasAttr(ServerContext.REQUEST_PRINCIPAL)) {
            ctx.channel().attr(ServerContext.REQUEST_PRINCIPAL).set(null);
        }
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            refuse(ctx, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    apis.errorBody(null, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.0 and HTTP/1.1 are served"));
            return false;
        }
        ConnectionHead connection = ConnectionHead.of(ctx.channel());
        if (connection != null && connection.needsSource() && !connection.countUnder(clientAddress(ctx, request))) {
            String path = new QueryStringDecoder(request.uri()).path();
            refuse(ctx, HttpResponseStatus.TOO_MANY_REQUESTS, apis.errorBody(path,
                    HttpResponseStatus.TOO_MANY_REQUESTS, "too many connections from your address"));
            return false;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        Apis.Routed routed = apis.call(request.method(), query.path());
        if (routed == null || !routed.call().authenticatedAtHead()) {
            return true;
        }
        try {
            Principal who = new HeadCredential(Requests.credentials(request, query),
                    c -> server.authenticate(ctx.channel(), c)).principal();
            String project = routed.call().project();
            if (project != null && !who.project().equals(project)) {
                throw new AuthException(AuthFailure.FORBIDDEN_PROJECT, "credential is not valid for this project");
            }
            // The handler takes it from here: authenticated once, from the head.
            ctx.channel().attr(ServerContext.REQUEST_PRINCIPAL).set(who);
            return true;
        } catch (AuthException e) {
            DialectApi.ErrorAnswer answer = routed.api().refusal(e);
            server.metrics().of(routed.api().dialect()).errors.increment();
            refuse(ctx, answer.status(), answer.body());
            return false;
        }
    }

    /**
     * The client a trusted proxy speaks for: the rightmost {@code X-Forwarded-For} entry that is not itself a
     * trusted proxy; the proxy's own address when it forwards none.
     */
    private String clientAddress(ChannelHandlerContext ctx, HttpRequest request) {
        String proxy = ((java.net.InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        String forwarded = request.headers().get("X-Forwarded-For");
        if (forwarded == null) {
            return proxy;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(hops[i].strip());
            if (bytes == null) {
                return proxy;
            }
            try {
                InetAddress hop = InetAddress.getByAddress(bytes);
                if (!server.admission().limits().isTrustedProxy(hop)) {
                    return hop.getHostAddress();
                }
            } catch (UnknownHostException impossible) {
                return proxy;
            }
        }
        return proxy;
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
