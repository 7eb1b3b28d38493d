package dev.streams.transport.ws.internal.m3o;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.streams.auth.AuthException;
import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import dev.streams.core.Gap;
import dev.streams.core.Position;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.HeadCredential;
import dev.streams.transport.ws.internal.Json;
import dev.streams.transport.ws.internal.Requests;
import dev.streams.transport.ws.internal.SessionCodec;
import dev.streams.transport.ws.internal.SessionControl;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.concurrent.Future;

/**
 * m3o's {@code Subscribe}: the first text frame is the SubscribeRequest {@code {"topic","token"}}; each
 * message follows as one Message frame. The request's token wins over the handshake's Bearer credential.
 * A resume cursor may come as the request's {@code after} field or the {@code after} query parameter; with
 * the {@code gaps=true} query parameter, missed events are reported ({@link M3oWire#gap}).
 *
 * <p>The first frame must arrive within the server's request timeout. The credential is checked once, when
 * the subscription starts, as m3o did: m3o's Token is a ticket to open one stream (its original was a random
 * id that expired a minute after issue, whether or not a stream was using it) and m3o clients have no way to
 * present a fresh one on an open stream, so closing at expiry would end every m3o stream after a minute.
 */
final class M3oCodec implements SessionCodec {
    private final SessionControl session;
    private final Duration firstFrameWithin;
    private final Runnable countTimeout;
    /** What the handshake carried, dropped once the SubscribeRequest came: no secret is kept longer than needed. */
    private HeadCredential handshake;
    private QueryStringDecoder query;
    private final boolean gaps;
    private boolean subscribed;
    private Future<?> firstFrameDeadline;

    /**
     * @param firstFrameWithin how long the client has to send its SubscribeRequest (it carries the credential)
     * @param countTimeout     counts a SubscribeRequest that did not come in time
     */
    M3oCodec(SessionControl session, HeadCredential handshake, QueryStringDecoder query, Duration firstFrameWithin,
             Runnable countTimeout) {
        this.session = session;
        this.firstFrameWithin = firstFrameWithin;
        this.countTimeout = countTimeout;
        this.handshake = handshake;
        this.query = query;
        this.gaps = Requests.flag(query, "gaps");
    }

    /** The SubscribeRequest carries the credential: it must come within the authentication timeout too. */
    @Override
    public void opened() {
        firstFrameDeadline = session.schedule(() -> {
            if (!subscribed) {
                countTimeout.run();
                fail(Failure.TIMEOUT, "no SubscribeRequest within " + firstFrameWithin.toMillis() + " ms");
            }
        }, firstFrameWithin);
    }

    @Override
    public void text(String text) {
        if (subscribed) {
            return;
        }
        subscribed = true;
        firstFrameDeadline.cancel(false);
        HeadCredential fromHandshake = handshake;
        QueryStringDecoder fromUrl = query;
        handshake = null;
        query = null;
        JsonObject request;
        try {
            request = Json.parseObject(text);
        } catch (JsonParseException e) {
            fail(M3oWire.Error.BAD_REQUEST);
            return;
        }
        String token = Json.string(request, "token");
        String topic = Json.string(request, "topic");
        boolean ownToken = token != null && !token.isEmpty();
        if (!ownToken && !fromHandshake.isPresent()) {
            fail(M3oWire.Error.MISSING_TOKEN);
            return;
        }
        M3oWire.Error invalid = M3oHttp.checkTopic(topic, true);
        if (invalid != null) {
            fail(invalid);
            return;
        }
        StartPosition start;
        try {
            String after = Json.string(request, "after");
            after = after != null ? after : Requests.param(fromUrl, "after");
            start = after == null ? StartPosition.latest() : StartPosition.after(Position.fromCursor(after));
        } catch (StreamsException e) {
            fail(M3oWire.Error.BAD_CURSOR);
            return;
        }
        Principal who;
        try {
            who = ownToken ? session.authenticate(Credentials.bearer(token)) : fromHandshake.principal();
        } catch (AuthException e) {
            fail(M3oWire.of(e.failure(), true));
            return;
        }
        session.authorizeAndSubscribe(who, who.project(), topic, start, M3oWire.MESSAGE, sink -> { }, this::refused);
    }

    private void refused(RuntimeException e) {
        if (e instanceof AuthException auth) {
            fail(M3oWire.of(auth.failure(), true));
        } else {
            fail(Failure.of(e), e.getMessage());
        }
    }

    private void fail(M3oWire.Error error) {
        session.end(error.body(), error.closeCode(), error.id());
    }

    @Override
    public void fail(Failure failure, String message) {
        if (failure == Failure.SLOW_CONSUMER || failure == Failure.REVOKED) {
            fail(failure == Failure.REVOKED ? M3oWire.Error.REVOKED_TOKEN : M3oWire.Error.SLOW_CONSUMER);
            return;
        }
        session.end(M3oWire.errorBody(failure.httpStatus(), message), failure.closeCode(), failure.name());
    }

    @Override
    public void gap(Gap gap) {
        if (gaps) {
            session.sendGap(M3oWire.gap(gap));
        }
    }
}
