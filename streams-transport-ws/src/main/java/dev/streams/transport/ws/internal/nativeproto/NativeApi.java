package dev.streams.transport.ws.internal.nativeproto;

import dev.streams.protocol.NativeProtocol;
import dev.streams.transport.ws.internal.Apis;
import dev.streams.transport.ws.internal.Dialect;
import dev.streams.transport.ws.internal.DialectApi;
import dev.streams.transport.ws.internal.Requests;
import dev.streams.transport.ws.internal.ServerContext;
import dev.streams.transport.ws.internal.Session;
import dev.streams.transport.ws.internal.SseOutbound;
import dev.streams.transport.ws.internal.WebSocketOutbound;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The native protocol: its WebSocket at {@link NativeProtocol#PATH} and its Server-Sent Events at
 * {@code /v1/sse}. It has no HTTP calls; an HTTP error on its paths is the plain {@code {"code","message"}}.
 */
public final class NativeApi implements DialectApi {
    private static final String EVENTS = "/v1/sse";

    private final ServerContext server;
    /** What every native session asks of the server beyond itself; the same for all of them. */
    private final NativeCodec.Services services;

    public NativeApi(ServerContext server) {
        this.server = server;
        this.services = new NativeCodec.Services(server.broker(), server.auth(),
                server.limits().maxSubscriptionsPerConnection(), server.metrics().limitRejections::increment);
    }

    @Override
    public Dialect dialect() {
        return Dialect.NATIVE;
    }

    @Override
    public boolean owns(String lowerCasePath) {
        return isAt(lowerCasePath, NativeProtocol.PATH) || isAt(lowerCasePath, EVENTS);
    }

    @Override
    public String errorBody(HttpResponseStatus status, String message) {
        return Apis.plainErrorBody(status, message);
    }

    @Override
    public Session webSocket(Channel channel, String path, StreamRequest request) {
        if (!isAt(path, NativeProtocol.PATH)) {
            return null;
        }
        WebSocketOutbound out = new WebSocketOutbound(channel, server);
        if (Requests.flag(request.query(), "batch")) {
            out.sendLines();
        }
        return new Session(channel, server, Dialect.NATIVE, out,
                session -> new NativeCodec(session, request.credential(), services));
    }

    @Override
    public Session eventStream(Channel channel, String path, StreamRequest request) {
        return isAt(path, EVENTS) ? new Session(channel, server, Dialect.NATIVE,
                new SseOutbound(channel, server.outboundBudget()), session -> new NativeEventsCodec(session, request)) : null;
    }

    private static boolean isAt(String path, String endpoint) {
        return path.equals(endpoint) || path.equals(endpoint + "/");
    }
}
