package dev.streams.transport.ws.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When the HTTP phase of a connection ends. One deadline: a request must be complete within the request timeout
 * of the connection opening or of the previous response (within the shorter authentication timeout while the
 * connection has presented no credential). That one rule closes silent connections, slow-header and slow-body
 * senders, endless chunked bodies and idle keep-alive connections alike. A request cut off half-way gets 408;
 * a connection idle between requests is just closed. And the keep-alive caps of {@link ConnectionHead}: an
 * answer after which the connection must end is sent with {@code Connection: close} and the connection closed
 * once it is written. Removed from the pipeline when the connection upgrades to a WebSocket or an event stream,
 * which have their own idle rule.
 */
final class HttpDeadline extends ChannelDuplexHandler {
    private final ServerContext server;
    private final Apis apis;
    private final long timeoutMillis;
    private final long unauthenticatedTimeoutMillis;
    private ConnectionHead connection;
    /** The answer being written ends the connection. */
    private boolean lastAnswer;
    private ScheduledFuture<?> timer;
    /** The path of the request being received, for the 408's shape; null between requests. */
    private String requestPath;

    HttpDeadline(ServerContext server, Apis apis) {
        this.server = server;
        this.apis = apis;
        this.timeoutMillis = server.limits().requestTimeout().toMillis();
        this.unauthenticatedTimeoutMillis = Math.min(timeoutMillis,
                server.admission().limits().authenticationTimeout().toMillis());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connection = ConnectionHead.of(ctx.channel());
        arm(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            requestPath = new QueryStringDecoder(request.uri()).path();
        }
        if (msg instanceof LastHttpContent) {
            // Complete: the application has it now; the clock starts again with the response.
            requestPath = null;
            disarm();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().code() >= 200 && connection != null
                && connection.answerEndsConnection()) {
            lastAnswer = true;
            HttpUtil.setKeepAlive(response, false);
        }
        if (msg instanceof LastHttpContent) {
            ChannelPromise written = promise.unvoid();
            if (lastAnswer) {
                written.addListener(ChannelFutureListener.CLOSE);
            } else {
                written.addListener(done -> arm(ctx));
            }
            ctx.write(msg, written);
        } else {
            ctx.write(msg, promise);
        }
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        if (ctx.isRemoved()) {
            return;
        }
        long millis = connection == null || connection.isAuthenticated() ? timeoutMillis : unauthenticatedTimeoutMillis;
        timer = ctx.executor().schedule(() -> expire(ctx, millis), millis, TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(ChannelHandlerContext ctx, long millis) {
        timer = null;
        server.metrics().requestTimeouts.increment();
        if (requestPath != null && ctx.channel().isWritable()) {
            // No request to keep alive for: the reply closes the connection.
            apis.sendError(ctx, null, requestPath, HttpResponseStatus.REQUEST_TIMEOUT,
                    "request not completed within " + millis + " ms");
        } else {
            ctx.close();
        }
    }
}
