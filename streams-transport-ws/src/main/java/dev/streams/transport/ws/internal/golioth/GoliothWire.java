package dev.streams.transport.ws.internal.golioth;

import com.google.gson.JsonObject;
import dev.streams.devices.DeviceTopics;
import dev.streams.core.Event;
import dev.streams.devices.DeviceIngestor;
import dev.streams.core.Gap;
import dev.streams.core.Position;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.FrameEncoding;
import dev.streams.transport.ws.internal.Json;
import java.nio.charset.StandardCharsets;

/** Golioth's wire format: the stream frame, and errors as gRPC codes with their one mapping table. */
public final class GoliothWire {
    /**
     * {@code {"result":{"data":{"timestamp","deviceId","data"}},"id":"<epoch>-<offset>"}}. JSON device data is
     * spliced in as stored, without re-parsing; anything else is sent as a JSON string.
     */
    public static final FrameEncoding FRAME = FrameEncoding.of("golioth", GoliothWire::encode);

    public static final int INVALID_ARGUMENT = 3;
    public static final int DEADLINE_EXCEEDED = 4;
    public static final int NOT_FOUND = 5;
    public static final int ALREADY_EXISTS = 6;
    public static final int PERMISSION_DENIED = 7;
    public static final int RESOURCE_EXHAUSTED = 8;
    public static final int INTERNAL = 13;
    public static final int UNAVAILABLE = 14;
    public static final int UNAUTHENTICATED = 16;

    private GoliothWire() {
    }

    private static byte[] encode(Event event) {
        String device = event.attributes().get(DeviceIngestor.DEVICE_ID);
        if (device == null) {
            device = DeviceTopics.deviceOf(event.topic());
        }
        String time = event.attributes().getOrDefault(DeviceIngestor.DEVICE_TIME, event.timestamp().toString());
        StringBuilder out = new StringBuilder(128 + event.payloadLength());
        Json.quote(out.append("{\"result\":{\"data\":{\"timestamp\":"), time);
        Json.quote(out.append(",\"deviceId\":"), device == null ? "" : device);
        out.append(",\"data\":");
        if (event.isJson()) {
            out.append(event.payloadAsString());
        } else {
            Json.quote(out, event.payloadAsString());
        }
        Position.appendCursor(out.append("}},\"id\":\""), event.epoch(), event.offset()).append("\"}");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The gap message of an SSE stream whose Last-Event-ID could not be resumed: it starts live. */
    public static String resumeLost() {
        return "{\"gap\":{\"deviceId\":null,\"epoch\":null,\"missed\":-1,\"cause\":\"RESUME_UNAVAILABLE\"}}";
    }

    /** The stream's in-band error: {@code {"error":{"code","message"}}}. */
    public static String streamError(int code, String message) {
        JsonObject inner = new JsonObject();
        inner.addProperty("code", code);
        inner.addProperty("message", message);
        JsonObject outer = new JsonObject();
        outer.add("error", inner);
        return Json.GSON.toJson(outer);
    }

    /** The REST error body: {@code {"code","message","details":[]}}. */
    public static String restError(int code, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("code", code);
        error.addProperty("message", message);
        error.add("details", new com.google.gson.JsonArray());
        return Json.GSON.toJson(error);
    }

    /** Golioth's gRPC code for a failure. */
    public static int codeOf(Failure failure) {
        return switch (failure) {
            case BAD_REQUEST, INVALID_TOPIC -> INVALID_ARGUMENT;
            case UNAUTHENTICATED, EXPIRED, REVOKED -> UNAUTHENTICATED;
            case FORBIDDEN -> PERMISSION_DENIED;
            case NOT_FOUND -> NOT_FOUND;
            case TIMEOUT, DEADLINE_EXCEEDED -> DEADLINE_EXCEEDED;
            case PAYLOAD_TOO_LARGE, TOO_MANY_SUBSCRIPTIONS, LIMIT_EXCEEDED, SLOW_CONSUMER -> RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> UNAVAILABLE;
            case INTERNAL -> INTERNAL;
        };
    }

    /**
     * The opt-in gap message ({@code gaps=true}): {@code {"gap":{"deviceId","epoch","missed","cause"}}}, sent
     * before the events that follow the hole; {@code missed} is -1 when unknown (the history restarted).
     */
    public static String gap(Gap gap) {
        String device = DeviceTopics.deviceOf(gap.topic());
        StringBuilder out = new StringBuilder(128);
        Json.quote(out.append("{\"gap\":{\"deviceId\":"), device == null ? gap.topic() : device);
        out.append(",\"epoch\":\"").append(gap.epoch()).append("\",\"missed\":").append(gap.missed());
        Json.quote(out.append(",\"cause\":"), gap.cause().name()).append("}}");
        return out.toString();
    }
}
