package dev.streams.transport.ws.internal;

import dev.streams.transport.ws.HttpCall;
import dev.streams.transport.ws.HttpEndpoint;
import dev.streams.transport.ws.HttpReply;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the host added: exact-path endpoints, then static files from a classpath folder (read once, then
 * served from memory; {@code /} is {@code index.html}; no path may climb out of the folder). Only files that
 * exist are remembered, so the cache is bounded by the folder's contents whatever paths clients ask for.
 */
public final class HostRoutes {
    private static final System.Logger LOG = System.getLogger(HostRoutes.class.getName());
    private static final Map<String, String> TYPES = Map.of("html", "text/html", "js", "text/javascript",
            "css", "text/css", "svg", "image/svg+xml", "png", "image/png", "json", "application/json",
            "ico", "image/x-icon", "txt", "text/plain");

    private final Map<String, HttpEndpoint> endpoints;
    private final String resourceRoot;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public HostRoutes(Map<String, HttpEndpoint> endpoints, String resourceRoot) {
        this.endpoints = Map.copyOf(endpoints);
        this.resourceRoot = resourceRoot == null ? null : resourceRoot.replaceAll("^/+|/+$", "");
    }

    /** The number of files held in memory (a gauge in /metrics: it must not grow with unknown paths). */
    public int cachedFiles() {
        return cache.size();
    }

    /** Answers the request when a host route covers it; returns false otherwise. */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query) {
        HttpEndpoint endpoint = endpoints.get(query.path());
        if (endpoint != null) {
            call(ctx, request, query, endpoint);
            return true;
        }
        if (resourceRoot == null || !request.method().equals(HttpMethod.GET)) {
            return false;
        }
        String name = query.path().equals("/") ? "index.html" : query.path().substring(1);
        if (name.contains("..") || name.contains("\\") || name.startsWith("/") || name.endsWith("/")) {
            return false;
        }
        byte[] content = cache.get(name);
        if (content == null) {
            content = load(name);
            if (content == null) {
                return false;
            }
            cache.putIfAbsent(name, content);
        }
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        HttpReplies.send(ctx, request, HttpResponseStatus.OK, TYPES.getOrDefault(extension, "application/octet-stream"),
                content);
        return true;
    }

    private byte[] load(String name) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resourceRoot + "/" + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    private static void call(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query,
                             HttpEndpoint endpoint) {
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        HttpCall call = new HttpCall(request.method().name(), query.path(), query.parameters(), headers,
                ByteBufUtil.getBytes(request.content()));
        HttpReply reply;
        try {
            reply = endpoint.handle(call);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "host endpoint " + query.path() + " failed", e);
            reply = HttpReply.json(500, "{\"code\":500,\"message\":\"internal error\"}");
        }
        HttpReplies.send(ctx, request, HttpResponseStatus.valueOf(reply.status()), reply.contentType(), reply.body());
    }
}
