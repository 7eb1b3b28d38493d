package dev.streams.client;

import java.time.Instant;
import java.util.Map;

/**
 * One event as the client received it.
 *
 * @param topic       the topic it was published to
 * @param cursor      its resume cursor ({@code <epoch>-<offset>})
 * @param time        when the server stored it
 * @param contentType its content type
 * @param body        the JSON text of {@code data} when the event is JSON, otherwise the text itself
 * @param attributes  string attributes (for device data: {@code deviceId}, and {@code timestamp} when given)
 */
public record ClientEvent(String topic, String cursor, Instant time, String contentType, String body,
                          Map<String, String> attributes) {
    /** Copies the attributes: an event is a value. */
    public ClientEvent {
        attributes = Map.copyOf(attributes);
    }

    /** Whether the body is JSON (the event's content type is {@code application/json}). */
    public boolean isJson() {
        return contentType.startsWith("application/json");
    }
}
