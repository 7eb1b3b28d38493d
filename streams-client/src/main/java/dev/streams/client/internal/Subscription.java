package dev.streams.client.internal;

import dev.streams.protocol.NativeProtocol;
import com.google.gson.JsonObject;
import dev.streams.client.ClientEvent;
import dev.streams.client.ClientSubscription;
import dev.streams.client.EventHandler;
import dev.streams.protocol.Cursor;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** One client subscription: what it asked for and how far it got on each topic, which is what resuming needs. */
final class Subscription implements ClientSubscription {
    final long id;
    final String pattern;
    final EventHandler handler;
    private final Connection connection;
    /** When the server made this subscription live, on the server's clock (its first ack); null before. */
    private Instant liveSince;
    /** Per topic: the position of the last event delivered. Guarded by the connection's lock. */
    private final Map<String, Cursor> positions = new HashMap<>();
    private Instant lastTime;
    String serverName;
    volatile boolean cancelled;

    Subscription(long id, String pattern, EventHandler handler, Connection connection) {
        this.id = id;
        this.pattern = pattern;
        this.handler = handler;
        this.connection = connection;
    }

    @Override
    public String pattern() {
        return pattern;
    }

    @Override
    public void cancel() {
        cancelled = true;
        connection.cancel(this);
    }

    /**
     * The subscribe request: resume each topic seen, and replay the others since the last event, or since the
     * server made the subscription live. The first request asks for live events only: the client's own clock
     * is never compared with the server's.
     */
    JsonObject request(String requestId) {
        JsonObject request = new JsonObject();
        request.addProperty(NativeProtocol.TYPE, NativeProtocol.SUBSCRIBE);
        request.addProperty(NativeProtocol.ID, requestId);
        request.addProperty(NativeProtocol.TOPIC, pattern);
        if (!positions.isEmpty()) {
            JsonObject resume = new JsonObject();
            positions.forEach((topic, p) -> resume.addProperty(topic, p.toString()));
            request.add(NativeProtocol.RESUME, resume);
        }
        Instant since = lastTime != null ? lastTime : liveSince;
        if (since != null) {
            request.addProperty(NativeProtocol.SINCE, since.toString());
        }
        return request;
    }

    /** The server acknowledged the subscription as live at {@code serverTime}; the first one counts. */
    void live(Instant serverTime) {
        if (liveSince == null) {
            liveSince = serverTime;
        }
    }

    /** Whether the event is new to this subscription (two server subscriptions may both deliver it). */
    boolean accept(ClientEvent event) {
        Cursor position = Cursor.parse(event.cursor());
        Cursor last = positions.get(event.topic());
        if (last != null && last.epoch() == position.epoch() && position.offset() <= last.offset()) {
            return false;
        }
        positions.put(event.topic(), position);
        if (lastTime == null || event.time().isAfter(lastTime)) {
            lastTime = event.time();
        }
        return true;
    }
}
