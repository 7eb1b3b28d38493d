package dev.streams.transport.ws.internal;

import com.google.gson.JsonObject;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Locale;

/**
 * The APIs one server speaks, in the order they are asked, and the errors answered before any of them has a
 * request (timeouts, oversize bodies, unknown paths, wrong methods): in the shape of the API that owns the
 * path ({@link DialectApi#owns}), and {@code {"code":<HTTP>,"message"}} on paths no API owns.
 */
public final class Apis {
    private final List<DialectApi> apis;

    public Apis(List<DialectApi> apis) {
        this.apis = List.copyOf(apis);
    }

    /** Every API, in the order they are asked. */
    public List<DialectApi> all() {
        return apis;
    }

    /** The API whose prefix {@code path} lies under, or null. */
    public DialectApi owner(String path) {
        if (path == null) {
            return null;
        }
        String p = path.toLowerCase(Locale.ROOT);
        for (DialectApi api : apis) {
            if (api.owns(p)) {
                return api;
            }
        }
        return null;
    }

    /** The HTTP call at {@code path} and the API that answers it, or null. */
    public Routed call(HttpMethod method, String path) {
        for (DialectApi api : apis) {
            DialectApi.Call call = api.call(method, path);
            if (call != null) {
                return new Routed(api, call);
            }
        }
        return null;
    }

    /** A call and the API it belongs to. */
    public record Routed(DialectApi api, DialectApi.Call call) {
    }

    /** The error body for {@code path} (null when unknown). */
    public String errorBody(String path, HttpResponseStatus status, String message) {
        DialectApi owner = owner(path);
        if (owner != null) {
            return owner.errorBody(status, message);
        }
        return plainErrorBody(status, message);
    }

    /** {@code {"code":<HTTP status>,"message"}}: the error shape of paths that speak no other. */
    public static String plainErrorBody(HttpResponseStatus status, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("code", status.code());
        error.addProperty("message", message);
        return Json.GSON.toJson(error);
    }

    /**
     * Sends the error; keeps the connection when {@code request} asked for keep-alive, closes it when the
     * request is null (the request never completed). {@code path} falls back to the request's.
     */
    public ChannelFuture sendError(ChannelHandlerContext ctx, FullHttpRequest request, String path,
                                   HttpResponseStatus status, String message) {
        String where = path != null ? path : request == null ? null : Requests.path(request);
        return HttpReplies.json(ctx, request, status, errorBody(where, status, message));
    }
}
