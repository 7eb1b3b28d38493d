package dev.streams.transport.ws.internal.m3o;

import dev.streams.auth.AuthException;
import dev.streams.transport.ws.internal.Dialect;
import dev.streams.transport.ws.internal.DialectApi;
import dev.streams.transport.ws.internal.ServerContext;
import dev.streams.transport.ws.internal.Session;
import dev.streams.transport.ws.internal.WebSocketOutbound;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * m3o Streams: {@code /v1/streams/…} and {@code /streams/…} (with or without the service's repeated
 * {@code /streams}), its unary calls Publish and Token, its Subscribe stream, and go-micro's error shape.
 */
public final class M3oApi implements DialectApi {
    private static final Pattern CALL = Pattern.compile("^(?:/v1)?/streams(?:/streams)?/(publish|token|subscribe)/?$",
            Pattern.CASE_INSENSITIVE);

    private final ServerContext server;
    private final M3oHttp calls;
    /** How long a Subscribe socket has to send its SubscribeRequest: it carries the credential. */
    private final Duration firstFrameWithin;

    public M3oApi(ServerContext server) {
        this.server = server;
        this.calls = new M3oHttp(server);
        Duration request = server.limits().requestTimeout();
        Duration authentication = server.admission().limits().authenticationTimeout();
        this.firstFrameWithin = request.compareTo(authentication) <= 0 ? request : authentication;
    }

    @Override
    public Dialect dialect() {
        return Dialect.M3O;
    }

    @Override
    public boolean owns(String lowerCasePath) {
        return lowerCasePath.startsWith("/v1/streams") || lowerCasePath.startsWith("/streams");
    }

    @Override
    public String errorBody(HttpResponseStatus status, String message) {
        return M3oWire.errorBody(status.code(), message);
    }

    /** Over HTTP a refused credential is a key problem: go-micro's UNAUTHORIZED or FORBIDDEN. */
    @Override
    public ErrorAnswer refusal(AuthException refused) {
        M3oWire.Error error = M3oWire.of(refused.failure(), false);
        return new ErrorAnswer(HttpResponseStatus.valueOf(error.code()), error.body());
    }

    /** Publish and Token are authenticated from the head when POSTed; Subscribe without an upgrade is refused. */
    @Override
    public Call call(HttpMethod method, String path) {
        String endpoint = endpoint(path);
        if (endpoint == null) {
            return null;
        }
        return new Call(null, method.equals(HttpMethod.POST) && !endpoint.equals("subscribe"));
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        calls.handle(ctx, request, endpoint(path));
    }

    /** m3o's gateway checked a Bearer key before the stream started: a bad one refuses the upgrade with 401. */
    @Override
    public Session webSocket(Channel channel, String path, StreamRequest request) {
        if (!"subscribe".equals(endpoint(path))) {
            return null;
        }
        if (request.credential().isPresent()) {
            request.credential().principal();
        }
        return new Session(channel, server, Dialect.M3O, new WebSocketOutbound(channel, server),
                session -> new M3oCodec(session, request.credential(), request.query(), firstFrameWithin,
                        server.metrics().requestTimeouts::increment));
    }

    private static String endpoint(String path) {
        Matcher m = CALL.matcher(path);
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }
}
