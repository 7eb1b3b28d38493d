package dev.streams.transport.ws.internal.nativeproto;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.streams.auth.AuthException;
import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.protocol.NativeProtocol;
import dev.streams.core.Event;
import dev.streams.core.Idempotency;
import dev.streams.core.StreamsException;
import dev.streams.devices.StorableJson;
import dev.streams.transport.ws.internal.BadInput;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.HeadCredential;
import dev.streams.transport.ws.internal.Json;
import dev.streams.transport.ws.internal.SubscriptionSink;
import dev.streams.transport.ws.internal.SessionControl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The native protocol: many subscriptions on one socket, per-topic resume, publish when allowed, acks and
 * errors that carry the request's id, and in-band credential refresh before expiry. See docs/PROTOCOL.md.
 * A malformed request is answered with BAD_REQUEST and the connection and its other subscriptions stay.
 */
final class NativeCodec extends NativeRendering {
    private static final Duration EXPIRY_WARNING = Duration.ofSeconds(30);

    /** The handshake's credential, dropped once used: a session keeps no secret it no longer needs. */
    private HeadCredential handshake;
    private Principal principal;
    private long nextSubscription = 1;
    /** The names of a connection's first subscriptions, shared by every connection instead of built by each. */
    private static final String[] FIRST_NAMES = java.util.stream.IntStream.rangeClosed(0, 64)
            .mapToObj(i -> "s" + i).toArray(String[]::new);

    private static String subscriptionName(long number) {
        return number < FIRST_NAMES.length ? FIRST_NAMES[(int) number] : "s" + number;
    }
    /** Subscriptions asked for whose replay is still being read (they count against the limit). */
    private int pendingSubscriptions;

    private final Services server;

    /**
     * What the native protocol asks of the server beyond its session.
     *
     * @param maxSubscriptions    subscriptions one connection may hold
     * @param countLimitRejection counts a subscription refused for that limit
     */
    record Services(Broker broker, StreamsAuth auth, int maxSubscriptions, Runnable countLimitRejection) {
    }

    NativeCodec(SessionControl session, HeadCredential handshake, Services server) {
        super(session);
        this.handshake = handshake;
        this.server = server;
    }

    @Override
    public void opened() {
        Principal who;
        try {
            who = handshake.principal();
            handshake = null;
        } catch (AuthException e) {
            fail(Failure.of(e.failure()), e.getMessage());
            return;
        }
        if (!session.admit(who.project())) {
            return;
        }
        adopt(who);
        session.send("{\"type\":\"welcome\",\"project\":" + Json.GSON.toJson(principal.project()) + "}");
    }

    @Override
    public void text(String text) {
        if (principal == null || session.isClosing()) {
            return;
        }
        JsonObject request;
        try {
            request = Json.parseObject(text);
        } catch (JsonParseException e) {
            session.send(NativeWire.error(null, Failure.BAD_REQUEST,
                    e instanceof StorableJson.Unstorable ? e.getMessage() : "frames are JSON objects"));
            return;
        }
        String id = Json.string(request, NativeProtocol.ID);
        try {
            switch (NativeRequests.type(request)) {
                case NativeProtocol.SUBSCRIBE -> subscribe(id, request);
                case NativeProtocol.UNSUBSCRIBE -> unsubscribe(id, request);
                case NativeProtocol.PUBLISH -> publish(id, request);
                case NativeProtocol.AUTH -> refresh(id, request);
                default -> session.send(NativeWire.error(id, Failure.BAD_REQUEST, "unknown request type"));
            }
        } catch (BadInput e) {
            session.send(NativeWire.error(id, Failure.BAD_REQUEST, e.getMessage()));
        } catch (AuthException | StreamsException e) {
            session.send(NativeWire.error(id, Failure.of(e), e.getMessage()));
        }
    }

    private void subscribe(String id, JsonObject request) {
        String topic = NativeRequests.required(request, NativeProtocol.TOPIC);
        var start = NativeRequests.startOf(request);
        if (session.subscriptions().size() + pendingSubscriptions >= server.maxSubscriptions()) {
            server.countLimitRejection().run();
            session.send(NativeWire.error(id, Failure.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + server.maxSubscriptions() + " subscriptions per connection"));
            return;
        }
        pendingSubscriptions++;
        session.authorizeAndSubscribe(principal, principal.project(), topic, start, NativeWire.EVENT, sink -> {
            pendingSubscriptions--;
            String name = subscriptionName(nextSubscription++);
            sink.name(name);
            session.send(NativeWire.subscribed(id, name, java.time.Instant.now()));
        }, refused -> {
            pendingSubscriptions--;
            session.send(NativeWire.error(id, Failure.of(refused), refused.getMessage()));
        });
    }

    private void unsubscribe(String id, JsonObject request) {
        String name = NativeRequests.required(request, NativeProtocol.SUB);
        SubscriptionSink sink = named(name);
        if (sink == null) {
            session.send(NativeWire.error(id, Failure.NOT_FOUND, "no subscription " + name));
            return;
        }
        session.unsubscribe(sink);
        session.send(NativeWire.ack(id, NativeProtocol.SUB, name));
    }

    /** The subscription the client calls {@code name}, or null. */
    private SubscriptionSink named(String name) {
        for (SubscriptionSink sink : session.subscriptions()) {
            if (name.equals(sink.name())) {
                return sink;
            }
        }
        return null;
    }

    private void publish(String id, JsonObject request) {
        String topic = NativeRequests.required(request, NativeProtocol.TOPIC);
        server.auth().checkPublish(principal, principal.project(), topic);
        String key = request.has(NativeProtocol.KEY) ? NativeRequests.required(request, NativeProtocol.KEY) : null;
        Map<String, String> attributes = key == null ? Map.of() : Map.of(Idempotency.KEY, key);
        CompletableFuture<Event> stored;
        if (request.has(NativeProtocol.DATA)) {
            stored = server.broker().publishAsync(principal.project(), topic, "application/json",
                    Json.GSON.toJson(request.get(NativeProtocol.DATA)).getBytes(StandardCharsets.UTF_8), attributes);
        } else {
            stored = server.broker().publishAsync(principal.project(), topic, "text/plain; charset=utf-8",
                    NativeRequests.required(request, NativeProtocol.TEXT).getBytes(StandardCharsets.UTF_8), attributes);
        }
        session.paceAfterPublish(principal.project(), topic);
        session.whenDone(stored, (event, error) -> {
            if (error != null) {
                session.send(NativeWire.error(id, Failure.of(error), Failure.messageOf(error)));
            } else {
                session.countPublished();
                session.send(NativeWire.ack(id, NativeProtocol.CURSOR, event.position().cursor()));
            }
        });
    }

    /**
     * Takes a fresh credential for the same project. Every live subscription is checked against it: those it
     * no longer allows end, and the client is told which, so a narrower credential narrows what it receives.
     */
    private void refresh(String id, JsonObject request) {
        Principal fresh = session.authenticate(Credentials.bearer(NativeRequests.required(request, NativeProtocol.TOKEN)));
        if (!fresh.project().equals(principal.project())) {
            session.send(NativeWire.error(id, Failure.FORBIDDEN, "a refreshed credential must be for the same project"));
            return;
        }
        List<String> ended = new ArrayList<>();
        for (SubscriptionSink sink : session.subscriptions()) {
            try {
                server.auth().checkSubscribe(fresh, fresh.project(), sink.subscription().pattern());
            } catch (AuthException notAllowed) {
                session.unsubscribe(sink);
                ended.add(sink.name());
            }
        }
        adopt(fresh);
        if (!ended.isEmpty()) {
            session.send(NativeWire.subscriptionsEnded(ended, "the new credential does not allow these subscriptions"));
        }
        session.send(NativeWire.ack(id, NativeProtocol.EXPIRES_AT, fresh.expiresAt() == null ? null : fresh.expiresAt().toString()));
    }

    /** A subscription whose replay was read while the credential was refreshed is checked against the new one. */
    @Override
    public void recheckSubscribe(String project, String pattern) {
        server.auth().checkSubscribe(principal, project, pattern);
    }

    /** Takes a credential and arms the warning and the close at its expiry. */
    private void adopt(Principal who) {
        principal = who;
        session.watchExpiry(who, EXPIRY_WARNING);
    }

    @Override
    public void expiring(Instant at) {
        session.send(NativeWire.expiring(at));
    }
}
