package dev.streams.transport.ws.internal;

import dev.streams.auth.AuthException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * One API the server speaks (m3o, Golioth, the native protocol): the paths it owns, its HTTP calls, its
 * streams, and how an error reads on its paths. The shared machinery ({@link HttpRouter}, {@link Apis}, the
 * pipeline's early refusals) asks each API in turn and never names one; an API never names another.
 */
public interface DialectApi {
    /** The dialect its sessions and errors count under. */
    Dialect dialect();

    /**
     * Whether {@code lowerCasePath} lies under this API's prefix: errors answered before any handler took the
     * request (timeouts, oversize bodies, unknown paths) are then rendered by {@link #errorBody}.
     */
    boolean owns(String lowerCasePath);

    /** An error on one of this API's paths, in its shape. */
    String errorBody(HttpResponseStatus status, String message);

    /**
     * How a credential refused on one of this API's paths is answered over HTTP. By default the failure's
     * status with {@link #errorBody}.
     */
    default ErrorAnswer refusal(AuthException refused) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(Failure.of(refused.failure()).httpStatus());
        return new ErrorAnswer(status, errorBody(status, refused.getMessage()));
    }

    /** The HTTP call at {@code path}, or null when {@code path} is none of this API's calls. */
    default Call call(HttpMethod method, String path) {
        return null;
    }

    /** Answers one of this API's calls ({@link #call} said it is one). Runs on the event loop. */
    default void handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        throw new IllegalStateException("no HTTP calls");
    }

    /**
     * The WebSocket session for {@code path}, or null when this API has no stream there. Throwing refuses the
     * upgrade with {@link #refusal}'s answer (an API whose original checked the credential before the stream).
     */
    default Session webSocket(Channel channel, String path, StreamRequest request) throws AuthException {
        return null;
    }

    /** The Server-Sent Events session for {@code path}, or null when this API has no event stream there. */
    default Session eventStream(Channel channel, String path, StreamRequest request) {
        return null;
    }

    /**
     * An HTTP call's place in the request's life.
     *
     * @param project             the project its credential must be for, or null when any
     * @param authenticatedAtHead whether the request's head authenticates it (401/403 before its body is read)
     */
    record Call(String project, boolean authenticatedAtHead) {
    }

    /** An HTTP error answer: status and body. */
    record ErrorAnswer(HttpResponseStatus status, String body) {
    }

    /**
     * What a stream's opening request carried.
     *
     * @param lastEventId for an event stream, the id the client saw last (Last-Event-ID), or null
     */
    record StreamRequest(QueryStringDecoder query, HeadCredential credential, String lastEventId) {
    }
}
