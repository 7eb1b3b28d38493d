package dev.streams.transport.ws.internal;

import dev.streams.transport.ws.HttpCall;
import dev.streams.transport.ws.HttpEndpoint;
import dev.streams.transport.ws.HttpReply;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the host added: exact-path endpoints, then an optional fallback for every other path (the demo
 * serves its dashboard's files that way). Built-in paths come first.
 */
public final class HostRoutes {
    private static final System.Logger LOG = System.getLogger(HostRoutes.class.getName());

    private final Map<String, HttpEndpoint> endpoints;
    private final HttpEndpoint fallback;

    public HostRoutes(Map<String, HttpEndpoint> endpoints, HttpEndpoint fallback) {
        this.endpoints = Map.copyOf(endpoints);
        this.fallback = fallback;
    }

    /** Answers the request when a host route covers it; returns false otherwise. */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query) {
        HttpEndpoint endpoint = endpoints.get(query.path());
        if (endpoint == null && fallback == null) {
            return false;
        }
        HttpReply reply = call(request, query, endpoint != null ? endpoint : fallback);
        if (reply == null) {
            return false;
        }
        HttpReplies.send(ctx, request, HttpResponseStatus.valueOf(reply.status()), reply.contentType(), reply.body());
        return true;
    }

    private static HttpReply call(FullHttpRequest request, QueryStringDecoder query, HttpEndpoint endpoint) {
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        HttpCall call = new HttpCall(request.method().name(), query.path(), query.parameters(), headers,
                ByteBufUtil.getBytes(request.content()));
        try {
            return endpoint.handle(call);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "host endpoint for " + query.path() + " failed", e);
            return HttpReply.json(500, "{\"code\":500,\"message\":\"internal error\"}");
        }
    }
}
