package dev.streams.transport.ws.internal.nativeproto;

import dev.streams.auth.AuthException;
import dev.streams.auth.Principal;
import dev.streams.core.NativeProtocol;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
import dev.streams.transport.ws.internal.DialectApi;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.HeadCredential;
import dev.streams.transport.ws.internal.Requests;
import dev.streams.transport.ws.internal.ServerContext;
import dev.streams.transport.ws.internal.SseOutbound;
import io.netty.channel.Channel;
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
public final class NativeEventStream extends NativeDialect {
    private final HeadCredential credential;
    private final QueryStringDecoder query;
    private final String lastEventId;

    NativeEventStream(Channel channel, ServerContext server, DialectApi.StreamRequest request) {
        super(channel, server, new SseOutbound(channel, server.outboundBudget()));
        this.credential = request.credential();
        this.query = request.query();
        this.lastEventId = request.lastEventId();
    }

    @Override
    protected void onOpen() {
        try {
            Principal who = credential.principal();
            String topic = Requests.param(query, NativeProtocol.TOPIC);
            if (topic == null || topic.isEmpty()) {
                fail(Failure.BAD_REQUEST, "missing topic");
                return;
            }
            StartPosition fresh = NativeRequests.startOf(Requests.asObject(query, NativeProtocol.SINCE, NativeProtocol.LAST));
            StartPosition start = sseStart(who.project(), topic, fresh, lastEventId, NativeWire.resumeLost());
            authorizeAndSubscribe(who, who.project(), topic, start, NativeWire.EVENT,
                    sink -> watchExpiry(who, Duration.ZERO), refused -> fail(failureOf(refused), refused.getMessage()));
        } catch (NativeRequests.BadRequest e) {
            fail(Failure.BAD_REQUEST, e.getMessage());
        } catch (AuthException | StreamsException e) {
            fail(failureOf(e), e.getMessage());
        }
    }

    @Override
    public void onText(String text) {
        // An event stream has no client messages.
    }
}
