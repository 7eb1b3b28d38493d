package dev.streams.transport.ws.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writing HTTP answers, keeping the connection alive when the client asked for it. */
public final class HttpReplies {
    private HttpReplies() {
    }

    public static ChannelFuture json(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String body) {
        return send(ctx, request, status, "application/json", body);
    }

    public static ChannelFuture send(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                            String contentType, String body) {
        return send(ctx, request, status, contentType + "; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public static ChannelFuture send(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                            String contentType, byte[] body) {
        return send(ctx, request, response(status, contentType, body));
    }

    /** A JSON reply to a publish, with the stored event's cursor in the {@code Streams-Cursor} header. */
    public static ChannelFuture published(ChannelHandlerContext ctx, FullHttpRequest request, String cursor, String body) {
        FullHttpResponse response = response(HttpResponseStatus.OK, "application/json", body);
        response.headers().set(dev.streams.protocol.NativeProtocol.CURSOR_HEADER, cursor);
        return send(ctx, request, response);
    }

    /** A response with a UTF-8 body and the usual headers, for a caller that adds headers of its own before sending. */
    public static FullHttpResponse response(HttpResponseStatus status, String contentType, String body) {
        return response(status, contentType + "; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set("X-Content-Type-Options", "nosniff");
        return response;
    }

    /** Sends a response, keeping the connection alive when the request asked for it. */
    public static ChannelFuture send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        boolean keepAlive = request != null && HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            return ctx.writeAndFlush(response);
        }
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
