package dev.streams.transport.ws.internal.golioth;

import dev.streams.auth.AuthException;
import dev.streams.auth.Principal;
import dev.streams.core.Event;
import dev.streams.core.StreamsException;
import dev.streams.devices.DeviceIngestor;
import dev.streams.transport.ws.internal.Completions;
import dev.streams.transport.ws.internal.Dialect;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.HttpReplies;
import dev.streams.transport.ws.internal.PublisherPacing;
import dev.streams.transport.ws.internal.Requests;
import dev.streams.transport.ws.internal.ServerContext;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * {@code POST /v1/projects/{project}/devices/{device}/ingest[/{path…}]}: device data over HTTP, with Golioth's
 * semantics (see {@code DeviceIngestor}). Its own path: Golioth's API owns {@code …/stream} for history
 * queries, so a query can never be stored as data.
 */
public final class DeviceIngestHttp {
    private final ServerContext server;
    private final DeviceIngestor ingestor;

    public DeviceIngestHttp(ServerContext server) {
        this.server = server;
        this.ingestor = new DeviceIngestor(server.broker());
    }

    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, String project, String deviceId, String path) {
        if (!request.method().equals(HttpMethod.POST)) {
            reply(ctx, request, Failure.BAD_REQUEST, "use POST to send device data");
            return;
        }
        try {
            Principal who = server.requestPrincipal(ctx.channel(), () -> Requests.credentials(request, new QueryStringDecoder(request.uri())));
            server.auth().checkIngest(who, project, deviceId);
            Completions.onLoop(ingestor.ingestAsync(project, deviceId, path, Requests.body(request),
                            Requests.idempotencyKey(request)), ctx.executor(),
                    (stored, error) -> {
                        if (error != null) {
                            refused(ctx, request, error);
                            return;
                        }
                        server.metrics().of(Dialect.GOLIOTH).published.add(stored.size());
                        HttpReplies.published(ctx, request, stored.get(stored.size() - 1).position().cursor(), "{}");
                        // The topics are the ingestor's to choose, so they are known once stored: the device's
                        // next request waits while one of them is far behind.
                        for (Event event : stored) {
                            PublisherPacing.afterPublish(server, ctx.channel(), project, event.topic());
                        }
                    });
        } catch (AuthException | StreamsException e) {
            refused(ctx, request, e);
        }
    }

    private void refused(ChannelHandlerContext ctx, FullHttpRequest request, Throwable error) {
        reply(ctx, request, Failure.of(error), Failure.messageOf(error));
    }

    private void reply(ChannelHandlerContext ctx, FullHttpRequest request, Failure failure, String message) {
        server.metrics().of(Dialect.GOLIOTH).errors.increment();
        HttpReplies.json(ctx, request, HttpResponseStatus.valueOf(failure.httpStatus()),
                GoliothWire.restError(GoliothWire.codeOf(failure), message));
    }
}
