package dev.streams.transport.ws.internal.m3o;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.streams.auth.AuthException;
import dev.streams.auth.Principal;
import dev.streams.core.Idempotency;
import dev.streams.core.InvalidTopicException;
import dev.streams.core.Topics;
import dev.streams.transport.ws.internal.Completions;
import dev.streams.transport.ws.internal.Dialect;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.HttpReplies;
import dev.streams.transport.ws.internal.Json;
import dev.streams.transport.ws.internal.PublisherPacing;
import dev.streams.transport.ws.internal.Requests;
import dev.streams.transport.ws.internal.ServerContext;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** m3o's unary calls, {@code Publish} and {@code Token}, authenticated by {@code Authorization: Bearer <api key>}. */
public final class M3oHttp {
    private final ServerContext server;

    public M3oHttp(ServerContext server) {
        this.server = server;
    }

    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, String endpoint) {
        String call = endpoint.toLowerCase(java.util.Locale.ROOT);
        if (call.equals("subscribe")) {
            reply(ctx, request, M3oWire.Error.NEEDS_WEBSOCKET);
            return;
        }
        if (!request.method().equals(HttpMethod.POST)) {
            reply(ctx, request, M3oWire.Error.METHOD_NOT_ALLOWED);
            return;
        }
        try {
            Principal who = server.requestPrincipal(ctx.channel(), () -> Requests.credentials(request, new QueryStringDecoder(request.uri())));
            JsonObject body = Json.parseObject(Requests.body(request).isBlank() ? "{}" : Requests.body(request));
            if (call.equals("publish")) {
                publish(ctx, request, who, body);
            } else {
                token(ctx, request, who, body);
            }
        } catch (AuthException e) {
            reply(ctx, request, M3oWire.of(e.failure(), false));
        } catch (JsonParseException e) {
            reply(ctx, request, M3oWire.Error.BAD_REQUEST);
        }
    }

    private void publish(ChannelHandlerContext ctx, FullHttpRequest request, Principal who, JsonObject body) {
        String topic = Json.string(body, "topic");
        String message = Json.string(body, "message");
        M3oWire.Error invalid = checkTopic(topic, true);
        if (invalid == null && (message == null || message.isEmpty())) {
            boolean given = body.has("message") && !body.get("message").isJsonNull();
            invalid = given && message == null ? M3oWire.Error.MESSAGE_NOT_STRING : M3oWire.Error.MISSING_MESSAGE;
        }
        if (invalid != null) {
            reply(ctx, request, invalid);
            return;
        }
        Map<String, String> attributes;
        try {
            attributes = sentAt(body);
        } catch (DateTimeParseException e) {
            reply(ctx, request, M3oWire.Error.BAD_SENT_AT);
            return;
        }
        String key = Requests.idempotencyKey(request);
        if (key != null) {
            attributes = new java.util.HashMap<>(attributes);
            attributes.put(Idempotency.KEY, key);
        }
        server.auth().checkPublish(who, who.project(), topic);
        Completions.onLoop(server.broker().publishAsync(who.project(), topic, "text/plain; charset=utf-8",
                message.getBytes(StandardCharsets.UTF_8), attributes), ctx.executor(), (stored, error) -> {
                    if (error == null) {
                        server.metrics().of(Dialect.M3O).published.increment();
                        HttpReplies.published(ctx, request, stored.position().cursor(), "{}");
                    } else {
                        refused(ctx, request, error);
                    }
                });
        PublisherPacing.afterPublish(server, ctx.channel(), who.project(), topic);
    }

    private void refused(ChannelHandlerContext ctx, FullHttpRequest request, Throwable error) {
        Failure failure = Failure.of(error);
        switch (failure) {
            case PAYLOAD_TOO_LARGE -> reply(ctx, request, M3oWire.Error.TOO_LARGE);
            case INVALID_TOPIC -> reply(ctx, request, M3oWire.Error.INVALID_TOPIC);
            default -> {
                // A limit, or the history store or cluster unavailable: the publish was not accepted, and says why.
                server.metrics().of(Dialect.M3O).errors.increment();
                HttpReplies.json(ctx, request, HttpResponseStatus.valueOf(failure.httpStatus()),
                        M3oWire.errorBody(failure.httpStatus(), Failure.messageOf(error)));
            }
        }
    }

    /** The publisher's own {@code sent_at} (or {@code sentAt}), RFC 3339, kept for delivery; none: empty. */
    private static Map<String, String> sentAt(JsonObject body) {
        String given = Json.string(body, "sent_at");
        if (given == null) {
            given = Json.string(body, "sentAt");
        }
        if (given == null || given.isEmpty()) {
            return Map.of();
        }
        return Map.of(M3oWire.SENT_AT, OffsetDateTime.parse(given).toInstant().toString());
    }

    private void token(ChannelHandlerContext ctx, FullHttpRequest request, Principal who, JsonObject body) {
        String topic = Json.string(body, "topic");
        boolean anyTopic = topic == null || topic.isEmpty();
        M3oWire.Error invalid = anyTopic ? null : checkTopic(topic, false);
        if (invalid != null) {
            reply(ctx, request, invalid);
            return;
        }
        String token = server.auth().issueToken(who, who.project(), List.of(anyTopic ? ">" : topic),
                server.tokenTtl(), Set.of());
        JsonObject response = new JsonObject();
        response.addProperty("token", token);
        HttpReplies.json(ctx, request, HttpResponseStatus.OK, Json.GSON.toJson(response));
    }

    /** MISSING_TOPIC, then Invalid topic (m3o topics have no wildcards), or null when fine. */
    static M3oWire.Error checkTopic(String topic, boolean required) {
        if (topic == null || topic.isEmpty()) {
            return required ? M3oWire.Error.MISSING_TOPIC : null;
        }
        try {
            Topics.requireTopic(topic);
            return null;
        } catch (InvalidTopicException e) {
            return M3oWire.Error.INVALID_TOPIC;
        }
    }

    private void reply(ChannelHandlerContext ctx, FullHttpRequest request, M3oWire.Error error) {
        server.metrics().of(Dialect.M3O).errors.increment();
        HttpReplies.json(ctx, request, HttpResponseStatus.valueOf(error.code()), error.body());
    }
}
