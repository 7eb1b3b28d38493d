package dev.streams.transport.ws.internal.golioth;

import dev.streams.auth.AuthException;
import dev.streams.devices.DeviceTopics;
import dev.streams.auth.Principal;
import dev.streams.core.Gap;
import dev.streams.core.Position;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
import dev.streams.transport.ws.internal.BadInput;
import dev.streams.transport.ws.internal.DialectApi;
import dev.streams.transport.ws.internal.HeadCredential;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.Requests;
import dev.streams.transport.ws.internal.SessionCodec;
import dev.streams.transport.ws.internal.SessionControl;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Golioth's LightDB Stream over WebSocket, for one device or a whole project. Read-only for the client.
 * Beyond the original, it resumes: {@code resume=<deviceId>:<epoch>-<offset>,…} continues each listed device
 * after its cursor, and {@code since=<RFC 3339>} replays the other devices from that time. With
 * {@code gaps=true} it also says when events were missed ({@link GoliothWire#gap}); the original format has no
 * such message, so it is opt-in. The stream ends with UNAUTHENTICATED when its credential expires.
 */
final class GoliothCodec implements SessionCodec {
    private final SessionControl session;
    /** What the handshake carried, dropped once the stream started: a session keeps no secret it no longer needs. */
    private HeadCredential credential;
    private QueryStringDecoder query;
    private final String project;
    private final String deviceId;
    private final boolean gaps;
    private final String lastEventId;

    /** Over SSE gap messages are always sent, as named events. */
    GoliothCodec(SessionControl session, DialectApi.StreamRequest request, String project, String deviceId) {
        this.session = session;
        this.credential = request.credential();
        this.query = request.query();
        this.project = project;
        this.deviceId = deviceId;
        this.gaps = session.namesEvents() || Requests.flag(query, "gaps");
        this.lastEventId = request.lastEventId();
    }

    /** A stream's URL is its subscription: the client takes the stream's opening as the sign that it is live. */
    @Override
    public boolean subscribesFromRequest() {
        return true;
    }

    @Override
    public void opened() {
        String pattern;
        StartPosition start;
        try {
            pattern = deviceId == null ? DeviceTopics.ALL_DEVICES : DeviceTopics.topicOf(deviceId);
            start = startPosition();
            if (session.namesEvents()) {
                start = session.resumeFrom(project, pattern, start, lastEventId, GoliothWire.resumeLost());
            }
        } catch (StreamsException | IllegalArgumentException | BadInput e) {
            fail(Failure.BAD_REQUEST, e.getMessage());
            return;
        }
        try {
            Principal who = credential.principal();
            session.authorizeAndSubscribe(who, project, pattern, start, GoliothWire.FRAME,
                    sink -> session.watchExpiry(who, Duration.ZERO),
                    refused -> fail(Failure.of(refused), refused.getMessage()));
        } catch (AuthException | StreamsException e) {
            fail(Failure.of(e), e.getMessage());
        } finally {
            credential = null;
            query = null;
        }
    }

    private StartPosition startPosition() {
        String since = Requests.param(query, "since");
        StartPosition others = StartPosition.latest();
        if (since != null) {
            others = Requests.since(since);
        }
        String resume = Requests.param(query, "resume");
        if (resume == null || resume.isEmpty()) {
            return others;
        }
        Map<String, Position> positions = new HashMap<>();
        for (String item : resume.split(",")) {
            int colon = item.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("resume is a list of <deviceId>:<epoch>-<offset>");
            }
            positions.put(DeviceTopics.topicOf(item.substring(0, colon)), Position.fromCursor(item.substring(colon + 1)));
        }
        return StartPosition.resume(positions, others);
    }

    @Override
    public void text(String text) {
        // The stream is read-only; Golioth ignored what clients sent, and so do we.
    }

    @Override
    public void gap(Gap gap) {
        if (gaps) {
            session.sendGap(GoliothWire.gap(gap));
        }
    }

    @Override
    public void fail(Failure failure, String message) {
        session.end(GoliothWire.streamError(GoliothWire.codeOf(failure), message), failure.closeCode(), message);
    }
}
