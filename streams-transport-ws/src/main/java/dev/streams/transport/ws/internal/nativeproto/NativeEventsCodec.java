package dev.streams.transport.ws.internal.nativeproto;

import dev.streams.auth.AuthException;
import dev.streams.auth.Principal;
import dev.streams.protocol.NativeProtocol;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
import dev.streams.transport.ws.internal.DialectApi;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.HeadCredential;
import dev.streams.transport.ws.internal.Requests;
import dev.streams.transport.ws.internal.SessionControl;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;

/**
 * The native protocol's events as Server-Sent Events, for browsers and tools that read a stream but send
 * nothing: {@code GET /v1/sse?topic=<topic or pattern>} with {@code Accept: text/event-stream}. Each event's
 * data is the native {@code event} frame; gaps and errors are named events. Resume with Last-Event-ID (the
 * browser sends it by itself) or, on a first connection, the native start fields as query parameters
 * ({@code last}, {@code since}). Same credentials, limits and slow-consumer policy as the WebSocket; the
 * stream ends with an {@code error} event when its credential expires (SSE cannot refresh it in-band).
 */
final class NativeEventsCodec extends NativeRendering {
    private final HeadCredential credential;
    private final QueryStringDecoder query;
    private final String lastEventId;

    NativeEventsCodec(SessionControl session, DialectApi.StreamRequest request) {
        super(session);
        this.credential = request.credential();
        this.query = request.query();
        this.lastEventId = request.lastEventId();
    }

    /** The request is the subscription: its client takes the response head as the sign that the stream is live. */
    @Override
    public boolean subscribesFromRequest() {
        return true;
    }

    @Override
    public void opened() {
        try {
            Principal who = credential.principal();
            String topic = Requests.param(query, NativeProtocol.TOPIC);
            if (topic == null || topic.isEmpty()) {
                fail(Failure.BAD_REQUEST, "missing topic");
                return;
            }
            StartPosition fresh = NativeRequests.startOf(Requests.asObject(query, NativeProtocol.SINCE, NativeProtocol.LAST));
            StartPosition start = session.resumeFrom(who.project(), topic, fresh, lastEventId, NativeWire.resumeLost());
            session.authorizeAndSubscribe(who, who.project(), topic, start, NativeWire.EVENT,
                    sink -> session.watchExpiry(who, Duration.ZERO),
                    refused -> fail(Failure.of(refused), refused.getMessage()));
        } catch (NativeRequests.BadRequest e) {
            fail(Failure.BAD_REQUEST, e.getMessage());
        } catch (AuthException | StreamsException e) {
            fail(Failure.of(e), e.getMessage());
        }
    }

    @Override
    public void text(String text) {
        // An event stream has no client messages.
    }
}
