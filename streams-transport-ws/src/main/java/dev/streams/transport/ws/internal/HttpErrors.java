package dev.streams.transport.ws.internal;

import com.google.gson.JsonObject;
import dev.streams.transport.ws.internal.golioth.GoliothWire;
import dev.streams.transport.ws.internal.m3o.M3oWire;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Errors the server answers before any dialect has the request (timeouts, oversize bodies, unknown paths,
 * wrong methods), in the shape of the API the path belongs to: m3o's {@code {"id","code","detail","status"}}
 * under {@code /v1/streams} and {@code /streams}, Golioth's {@code {"code":<gRPC>,"message","details":[]}}
 * under {@code /v1/projects} and {@code /v1/ws/projects}, and {@code {"code":<HTTP>,"message"}} elsewhere.
 */
public final class HttpErrors {
    private HttpErrors() {
    }

    /** The error body for {@code path} (null when unknown). */
    public static String body(String path, HttpResponseStatus status, String message) {
        String p = path == null ? "" : path.toLowerCase(java.util.Locale.ROOT);
        if (p.startsWith("/v1/streams") || p.startsWith("/streams")) {
            return M3oWire.errorBody(status.code(), message);
        }
        if (p.startsWith("/v1/projects/") || p.startsWith("/v1/ws/projects/")) {
            return GoliothWire.restError(GoliothWire.codeOf(Failure.ofHttpStatus(status.code())), message);
        }
        JsonObject error = new JsonObject();
        error.addProperty("code", status.code());
        error.addProperty("message", message);
        return Json.GSON.toJson(error);
    }

    /**
     * Sends the error; keeps the connection when {@code request} asked for keep-alive, closes it when the
     * request is null (the request never completed). {@code path} falls back to the request's.
     */
    public static ChannelFuture send(ChannelHandlerContext ctx, FullHttpRequest request, String path,
                                     HttpResponseStatus status, String message) {
        String where = path != null ? path : request == null ? null : Requests.path(request);
        return HttpReplies.json(ctx, request, status, body(where, status, message));
    }
}
