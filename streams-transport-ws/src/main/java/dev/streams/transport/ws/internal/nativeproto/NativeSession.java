package dev.streams.transport.ws.internal.nativeproto;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.streams.auth.AuthException;
import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.Position;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
import dev.streams.transport.ws.internal.Cursors;
import dev.streams.transport.ws.internal.Dialect;
import dev.streams.transport.ws.internal.Json;
import dev.streams.transport.ws.internal.ServerContext;
import dev.streams.transport.ws.internal.Session;
import dev.streams.transport.ws.internal.SubscriptionSink;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The native protocol: many subscriptions on one socket, per-topic resume, publish when allowed, acks and
 * errors that carry the request's id, and in-band credential refresh before expiry. See docs/PROTOCOL.md.
 */
public final class NativeSession extends Session {
    private static final Duration EXPIRY_WARNING = Duration.ofSeconds(30);

    private final Credentials handshake;
    private final Map<String, SubscriptionSink> subscriptions = new HashMap<>();
    private Principal principal;
    private ScheduledFuture<?> expiryWarning;
    private ScheduledFuture<?> expiry;
    private long nextSubscription = 1;

    public NativeSession(Channel channel, ServerContext server, Credentials handshake) {
        super(channel, server, Dialect.NATIVE);
        this.handshake = handshake;
    }

    @Override
    public void onOpen() {
        try {
            adopt(server.auth().authenticate(handshake));
        } catch (AuthException e) {
            fatal(null, NativeWire.of(e.failure()), e.getMessage());
            return;
        }
        sendText("{\"type\":\"welcome\",\"project\":" + Json.GSON.toJson(principal.project()) + "}");
    }

    @Override
    public void onText(String text) {
        JsonObject request;
        try {
            request = Json.parseObject(text);
        } catch (JsonParseException e) {
            sendText(NativeWire.error(null, NativeWire.Error.BAD_REQUEST, "frames are JSON objects"));
            return;
        }
        String id = Json.string(request, "id");
        String type = Json.string(request, "type");
        try {
            switch (type == null ? "" : type) {
                case "subscribe" -> subscribe(id, request);
                case "unsubscribe" -> unsubscribe(id, request);
                case "publish" -> publish(id, request);
                case "auth" -> refresh(id, request);
                default -> sendText(NativeWire.error(id, NativeWire.Error.BAD_REQUEST, "unknown request type"));
            }
        } catch (AuthException e) {
            sendText(NativeWire.error(id, NativeWire.of(e.failure()), e.getMessage()));
        } catch (StreamsException e) {
            sendText(NativeWire.error(id, NativeWire.of(e.kind()), e.getMessage()));
        } catch (IllegalArgumentException e) {
            sendText(NativeWire.error(id, NativeWire.Error.BAD_REQUEST, e.getMessage()));
        }
    }

    private void subscribe(String id, JsonObject request) {
        String topic = required(request, "topic");
        server.auth().checkSubscribe(principal, principal.project(), topic);
        if (subscriptions.size() >= server.maxSubscriptionsPerConnection()) {
            sendText(NativeWire.error(id, NativeWire.Error.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + server.maxSubscriptionsPerConnection() + " subscriptions per connection"));
            return;
        }
        StartPosition start = startOf(request);
        String name = "s" + nextSubscription++;
        subscriptions.put(name, subscribe(principal.project(), topic, start, NativeWire.EVENT));
        sendText(NativeWire.ack(id, "sub", name));
    }

    private static StartPosition startOf(JsonObject request) {
        StartPosition others = StartPosition.latest();
        if (request.has("since")) {
            others = StartPosition.since(OffsetDateTime.parse(required(request, "since")).toInstant());
        } else if (request.has("last")) {
            others = StartPosition.last(request.get("last").getAsInt());
        }
        JsonElement resume = request.get("resume");
        if (resume == null) {
            return others;
        }
        if (!resume.isJsonObject()) {
            throw new IllegalArgumentException("resume maps topics to cursors");
        }
        Map<String, Position> positions = new HashMap<>();
        for (Map.Entry<String, JsonElement> e : resume.getAsJsonObject().entrySet()) {
            positions.put(e.getKey(), Cursors.parse(e.getValue().getAsString()));
        }
        return StartPosition.resume(positions, others);
    }

    private void unsubscribe(String id, JsonObject request) {
        String name = required(request, "sub");
        SubscriptionSink sink = subscriptions.remove(name);
        if (sink == null) {
            sendText(NativeWire.error(id, NativeWire.Error.NOT_FOUND, "no subscription " + name));
            return;
        }
        unsubscribe(sink);
        sendText(NativeWire.ack(id, "sub", name));
    }

    private void publish(String id, JsonObject request) {
        String topic = required(request, "topic");
        server.auth().checkPublish(principal, principal.project(), topic);
        Event stored;
        if (request.has("data")) {
            stored = server.broker().publish(principal.project(), topic, "application/json",
                    Json.GSON.toJson(request.get("data")).getBytes(StandardCharsets.UTF_8), Map.of());
        } else {
            stored = server.broker().publish(principal.project(), topic, "text/plain; charset=utf-8",
                    required(request, "text").getBytes(StandardCharsets.UTF_8), Map.of());
        }
        countPublished();
        sendText(NativeWire.ack(id, "cursor", Cursors.format(stored.epoch(), stored.offset())));
    }

    private void refresh(String id, JsonObject request) {
        Principal fresh = server.auth().authenticate(Credentials.bearer(required(request, "token")));
        if (!fresh.project().equals(principal.project())) {
            sendText(NativeWire.error(id, NativeWire.Error.FORBIDDEN, "a refreshed credential must be for the same project"));
            return;
        }
        adopt(fresh);
        sendText(NativeWire.ack(id, "expiresAt", fresh.expiresAt() == null ? null : fresh.expiresAt().toString()));
    }

    /** Takes a credential and arms the warning and the close at its expiry. */
    private void adopt(Principal who) {
        principal = who;
        cancelTimers();
        if (who.expiresAt() == null) {
            return;
        }
        long untilExpiry = Math.max(0, Duration.between(Instant.now(), who.expiresAt()).toMillis());
        long untilWarning = Math.max(0, untilExpiry - EXPIRY_WARNING.toMillis());
        expiryWarning = channel.eventLoop().schedule(() -> sendText(NativeWire.expiring(who.expiresAt())),
                untilWarning, TimeUnit.MILLISECONDS);
        expiry = channel.eventLoop().schedule(() -> fatal(null, NativeWire.Error.EXPIRED, "credential expired"),
                untilExpiry, TimeUnit.MILLISECONDS);
    }

    private void cancelTimers() {
        if (expiryWarning != null) {
            expiryWarning.cancel(false);
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    private static String required(JsonObject request, String name) {
        String value = Json.string(request, name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    private void fatal(String id, NativeWire.Error error, String message) {
        cancelTimers();
        int code = switch (error) {
            case UNAUTHENTICATED, EXPIRED -> 4401;
            case SLOW_CONSUMER -> 4429;
            default -> 4400;
        };
        fail(NativeWire.error(id, error, message), code, error.name());
    }

    @Override
    protected void onGap(Gap gap) {
        sendText(NativeWire.gap(gap));
    }

    @Override
    protected void onSlowConsumer() {
        fatal(null, NativeWire.Error.SLOW_CONSUMER, "client is not reading fast enough");
    }
}
