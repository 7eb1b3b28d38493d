package dev.streams.client.internal;

import com.google.gson.JsonObject;
import dev.streams.client.ClientEvent;
import dev.streams.client.ClientSubscription;
import dev.streams.client.EventHandler;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** One client subscription: what it asked for and how far it got on each topic, which is what resuming needs. */
final class Subscription implements ClientSubscription {
    final long id;
    final String pattern;
    final EventHandler handler;
    private final Connection connection;
    private final Instant createdAt = Instant.now();
    /** Per topic: {epoch, offset} of the last event delivered. Guarded by the connection's lock. */
    private final Map<String, long[]> positions = new HashMap<>();
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

    /** The subscribe request: resume each topic seen, and replay the others since the last event (or creation). */
    JsonObject request(String requestId) {
        JsonObject request = new JsonObject();
        request.addProperty("type", "subscribe");
        request.addProperty("id", requestId);
        request.addProperty("topic", pattern);
        if (!positions.isEmpty()) {
            JsonObject resume = new JsonObject();
            positions.forEach((topic, p) -> resume.addProperty(topic, p[0] + "-" + p[1]));
            request.add("resume", resume);
        }
        request.addProperty("since", (lastTime != null ? lastTime : createdAt).toString());
        return request;
    }

    /** Whether the event is new to this subscription (two server subscriptions may both deliver it). */
    boolean accept(ClientEvent event) {
        int dash = event.cursor().indexOf('-');
        long epoch = Long.parseLong(event.cursor().substring(0, dash));
        long offset = Long.parseLong(event.cursor().substring(dash + 1));
        long[] last = positions.get(event.topic());
        if (last != null && last[0] == epoch && offset <= last[1]) {
            return false;
        }
        positions.put(event.topic(), new long[] {epoch, offset});
        if (lastTime == null || event.time().isAfter(lastTime)) {
            lastTime = event.time();
        }
        return true;
    }
}
