package dev.streams.transport.ws.internal.golioth;

import dev.streams.auth.AuthException;
import dev.streams.transport.ws.internal.Dialect;
import dev.streams.transport.ws.internal.DialectApi;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.ServerContext;
import dev.streams.transport.ws.internal.Session;
import dev.streams.transport.ws.internal.SseOutbound;
import dev.streams.transport.ws.internal.WebSocketOutbound;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Golioth's LightDB Stream: the History REST API ({@code /v1/projects/{p}[/devices/{d}]/stream}), device ingest
 * ({@code /v1/projects/{p}/devices/{d}/ingest[/{path}]}), the live stream over WebSocket or Server-Sent Events
 * ({@code /v1/ws/projects/{p}[/devices/{d}]/stream}), and Golioth's REST error shape on all of them.
 */
public final class GoliothApi implements DialectApi {
    private static final Pattern STREAM = Pattern.compile("^/v1/ws/projects/([^/]+)(?:/devices/([^/]+))?/stream/?$");
    private static final Pattern INGEST = Pattern.compile("^/v1/projects/([^/]+)/devices/([^/]+)/ingest(?:/(.+?))?/?$");
    private static final Pattern HISTORY = Pattern.compile("^/v1/projects/([^/]+)(?:/devices/([^/]+))?/stream/?$");

    private final ServerContext server;
    private final DeviceIngestHttp ingest;
    private final GoliothHistoryHttp history;

    public GoliothApi(ServerContext server) {
        this.server = server;
        this.ingest = new DeviceIngestHttp(server);
        this.history = new GoliothHistoryHttp(server);
    }

    @Override
    public Dialect dialect() {
        return Dialect.GOLIOTH;
    }

    @Override
    public boolean owns(String lowerCasePath) {
        return lowerCasePath.startsWith("/v1/projects/") || lowerCasePath.startsWith("/v1/ws/projects/");
    }

    @Override
    public String errorBody(HttpResponseStatus status, String message) {
        return GoliothWire.restError(GoliothWire.codeOf(Failure.ofHttpStatus(status.code())), message);
    }

    @Override
    public ErrorAnswer refusal(AuthException refused) {
        Failure failure = Failure.of(refused.failure());
        return new ErrorAnswer(HttpResponseStatus.valueOf(failure.httpStatus()),
                GoliothWire.restError(GoliothWire.codeOf(failure), refused.getMessage()));
    }

    /** Ingest and history queries, for the project in their path, authenticated from the head on GET and POST. */
    @Override
    public Call call(HttpMethod method, String path) {
        Matcher m = INGEST.matcher(path);
        if (!m.matches()) {
            m = HISTORY.matcher(path);
            if (!m.matches()) {
                return null;
            }
        }
        return new Call(m.group(1), method.equals(HttpMethod.GET) || method.equals(HttpMethod.POST));
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        Matcher m = INGEST.matcher(path);
        if (m.matches()) {
            ingest.handle(ctx, request, m.group(1), m.group(2), m.group(3));
            return;
        }
        m = HISTORY.matcher(path);
        if (m.matches()) {
            history.handle(ctx, request, m.group(1), m.group(2));
        }
    }

    @Override
    public Session webSocket(Channel channel, String path, StreamRequest request) {
        Matcher m = STREAM.matcher(path);
        return m.matches() ? new Session(channel, server, Dialect.GOLIOTH, new WebSocketOutbound(channel, server),
                session -> new GoliothCodec(session, request, m.group(1), m.group(2))) : null;
    }

    @Override
    public Session eventStream(Channel channel, String path, StreamRequest request) {
        Matcher m = STREAM.matcher(path);
        return m.matches() ? new Session(channel, server, Dialect.GOLIOTH, new SseOutbound(channel, server.outboundBudget()),
                session -> new GoliothCodec(session, request, m.group(1), m.group(2))) : null;
    }
}
