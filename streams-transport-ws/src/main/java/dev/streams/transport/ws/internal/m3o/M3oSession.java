package dev.streams.transport.ws.internal.m3o;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.streams.auth.AuthException;
import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import dev.streams.core.StartPosition;
import dev.streams.transport.ws.internal.Cursors;
import dev.streams.transport.ws.internal.Dialect;
import dev.streams.transport.ws.internal.Json;
import dev.streams.transport.ws.internal.Requests;
import dev.streams.transport.ws.internal.ServerContext;
import dev.streams.transport.ws.internal.Session;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * m3o's {@code Subscribe}: the first text frame is the SubscribeRequest {@code {"topic","token"}}; each
 * message follows as one Message frame. The request's token wins over the handshake's Bearer credential.
 * A resume cursor may come as the request's {@code after} field or the {@code after} query parameter.
 */
public final class M3oSession extends Session {
    private final Credentials handshake;
    private final QueryStringDecoder query;
    private boolean subscribed;

    public M3oSession(Channel channel, ServerContext server, Credentials handshake, QueryStringDecoder query) {
        super(channel, server, Dialect.M3O);
        this.handshake = handshake;
        this.query = query;
    }

    @Override
    public void onOpen() {
    }

    @Override
    public void onText(String text) {
        if (subscribed) {
            return;
        }
        subscribed = true;
        JsonObject request;
        try {
            request = Json.parseObject(text);
        } catch (JsonParseException e) {
            fail(M3oWire.Error.BAD_REQUEST);
            return;
        }
        String token = Json.string(request, "token");
        String topic = Json.string(request, "topic");
        Credentials credentials = token != null && !token.isEmpty() ? Credentials.bearer(token) : handshake;
        M3oWire.Error invalid = M3oHttp.checkTopic(topic, true);
        Principal who;
        try {
            if (isEmpty(credentials)) {
                fail(M3oWire.Error.MISSING_TOKEN);
                return;
            }
            if (invalid != null) {
                fail(invalid);
                return;
            }
            who = server.auth().authenticate(credentials);
            server.auth().checkSubscribe(who, who.project(), topic);
        } catch (AuthException e) {
            fail(M3oWire.of(e.failure(), true));
            return;
        }
        String after = Json.string(request, "after");
        if (after == null) {
            after = Requests.param(query, "after");
        }
        StartPosition start;
        try {
            start = after == null ? StartPosition.latest() : StartPosition.after(Cursors.parse(after));
        } catch (IllegalArgumentException e) {
            fail(M3oWire.Error.BAD_CURSOR);
            return;
        }
        subscribe(who.project(), topic, start, M3oWire.MESSAGE);
    }

    private static boolean isEmpty(Credentials c) {
        return blank(c.authorization()) && blank(c.apiKeyHeader()) && blank(c.apiKeyQuery()) && blank(c.jwtQuery());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private void fail(M3oWire.Error error) {
        fail(error.body(), error.closeCode(), error.id());
    }

    @Override
    protected void onSlowConsumer() {
        fail(M3oWire.Error.SLOW_CONSUMER);
    }
}
