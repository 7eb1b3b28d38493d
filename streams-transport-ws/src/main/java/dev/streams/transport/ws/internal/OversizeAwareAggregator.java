package dev.streams.transport.ws.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Netty's aggregator with one change: a body over the limit is answered with the 413 error in the shape of
 * the API its path belongs to (Netty's own 413 has an empty body), counted, and the connection closed, since
 * the rest of the body would still be on its way.
 */
final class OversizeAwareAggregator extends HttpObjectAggregator {
    private final ServerContext server;
    private final Apis apis;

    OversizeAwareAggregator(ServerContext server, Apis apis) {
        super(server.limits().maxBodyBytes());
        this.server = server;
        this.apis = apis;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        server.metrics().oversizeRequests.increment();
        String path = oversized instanceof HttpRequest request ? new QueryStringDecoder(request.uri()).path() : null;
        apis.sendError(ctx, null, path, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body exceeds " + server.limits().maxBodyBytes() + " bytes");
    }
}
