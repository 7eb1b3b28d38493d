package dev.streams.transport.ws.internal.golioth;

import com.google.gson.JsonObject;
import dev.streams.auth.AuthFailure;
import dev.streams.auth.DeviceTopics;
import dev.streams.core.Encoding;
import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.transport.ws.DeviceIngestor;
import dev.streams.transport.ws.internal.Cursors;
import dev.streams.transport.ws.internal.Json;
import java.nio.charset.StandardCharsets;

/** Golioth's wire format: the stream frame, and errors as gRPC codes with their one mapping table. */
public final class GoliothWire {
    /**
     * {@code {"result":{"data":{"timestamp","deviceId","data"}},"id":"<epoch>-<offset>"}}. JSON device data is
     * spliced in as stored, without re-parsing; anything else is sent as a JSON string.
     */
    public static final Encoding<byte[]> FRAME = Encoding.of("golioth", GoliothWire::encode);

    public static final int INVALID_ARGUMENT = 3;
    public static final int NOT_FOUND = 5;
    public static final int ALREADY_EXISTS = 6;
    public static final int PERMISSION_DENIED = 7;
    public static final int RESOURCE_EXHAUSTED = 8;
    public static final int INTERNAL = 13;
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
        if (event.contentType().startsWith("application/json")) {
            out.append(event.payloadAsString());
        } else {
            Json.quote(out, event.payloadAsString());
        }
        out.append("}},\"id\":\"").append(Cursors.format(event.epoch(), event.offset())).append("\"}");
        return out.toString().getBytes(StandardCharsets.UTF_8);
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

    public static int codeOf(AuthFailure failure) {
        return failure.isUnauthenticated() ? UNAUTHENTICATED : PERMISSION_DENIED;
    }

    public static int codeOf(ErrorKind kind) {
        return switch (kind) {
            case INVALID_TOPIC, INVALID_PROJECT, INVALID_ARGUMENT, PAYLOAD_TOO_LARGE -> INVALID_ARGUMENT;
            case FORBIDDEN -> PERMISSION_DENIED;
            case UNAUTHENTICATED, EXPIRED -> UNAUTHENTICATED;
            case SLOW_CONSUMER -> RESOURCE_EXHAUSTED;
            case CLOSED -> INTERNAL;
        };
    }

    /** HTTP status of a gRPC code, as Golioth's REST API answers. */
    public static int httpStatusOf(int code) {
        return switch (code) {
            case INVALID_ARGUMENT -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            default -> 500;
        };
    }

    /** WebSocket close code: 4000 plus the HTTP status. */
    public static int closeCodeOf(int code) {
        return 4000 + httpStatusOf(code);
    }
}
