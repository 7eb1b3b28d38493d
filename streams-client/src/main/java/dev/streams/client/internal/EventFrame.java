package dev.streams.client.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.streams.client.ClientEvent;
import dev.streams.protocol.NativeProtocol;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Reading the server's {@code event} frames. */
final class EventFrame {
    /** The members of an event frame that are not the publisher's attributes. */
    private static final Set<String> FIELDS = Set.of(NativeProtocol.TYPE, NativeProtocol.TOPIC, NativeProtocol.CURSOR,
            NativeProtocol.TIME, NativeProtocol.CONTENT_TYPE, NativeProtocol.DATA, NativeProtocol.TEXT);

    private EventFrame() {
    }

    /** The event in an {@code event} frame: JSON data as its text, or the text; the other strings as attributes. */
    static ClientEvent parse(JsonObject frame) {
        Map<String, String> attributes = new HashMap<>();
        for (Map.Entry<String, JsonElement> e : frame.entrySet()) {
            if (!FIELDS.contains(e.getKey()) && e.getValue().isJsonPrimitive()) {
                attributes.put(e.getKey(), e.getValue().getAsString());
            }
        }
        String body = frame.has(NativeProtocol.DATA) ? frame.get(NativeProtocol.DATA).toString()
                : frame.get(NativeProtocol.TEXT).getAsString();
        return new ClientEvent(frame.get(NativeProtocol.TOPIC).getAsString(), frame.get(NativeProtocol.CURSOR).getAsString(),
                Instant.parse(frame.get(NativeProtocol.TIME).getAsString()),
                frame.get(NativeProtocol.CONTENT_TYPE).getAsString(), body, Map.copyOf(attributes));
    }
}
