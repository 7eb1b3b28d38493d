package dev.streams.transport.ws.internal.nativeproto;

import com.google.gson.JsonObject;
import dev.streams.auth.AuthFailure;
import dev.streams.core.Encoding;
import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.transport.ws.internal.Cursors;
import dev.streams.transport.ws.internal.Json;
import java.nio.charset.StandardCharsets;

/** Frames of the native protocol (docs/PROTOCOL.md) and its one error table. */
public final class NativeWire {
    /**
     * {@code {"type":"event","topic","cursor","time","contentType","data"|"text"}}: the same bytes for every
     * subscriber, so it names no subscription; clients route by topic.
     */
    public static final Encoding<byte[]> EVENT = Encoding.of("native", NativeWire::encode);

    /** Error ids of the native protocol. */
    public enum Error {
        BAD_REQUEST(false),
        INVALID_TOPIC(false),
        NOT_FOUND(false),
        TOO_MANY_SUBSCRIPTIONS(false),
        PAYLOAD_TOO_LARGE(false),
        FORBIDDEN(false),
        UNAUTHENTICATED(true),
        EXPIRED(true),
        SLOW_CONSUMER(true),
        INTERNAL(false);

        private final boolean closes;

        Error(boolean closes) {
            this.closes = closes;
        }

        /** Whether the connection ends after this error. */
        public boolean closes() {
            return closes;
        }
    }

    private NativeWire() {
    }

    private static byte[] encode(Event event) {
        StringBuilder out = new StringBuilder(160 + event.payloadLength());
        Json.quote(out.append("{\"type\":\"event\",\"topic\":"), event.topic());
        out.append(",\"cursor\":\"").append(event.epoch()).append('-').append(event.offset()).append('"');
        Json.quote(out.append(",\"time\":"), event.timestamp().toString());
        Json.quote(out.append(",\"contentType\":"), event.contentType());
        if (event.contentType().startsWith("application/json")) {
            out.append(",\"data\":").append(event.payloadAsString());
        } else {
            Json.quote(out.append(",\"text\":"), event.payloadAsString());
        }
        event.attributes().forEach((name, value) -> {
            if (!RESERVED.contains(name)) {
                Json.quote(Json.quote(out.append(','), name).append(':'), value);
            }
        });
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final java.util.Set<String> RESERVED = java.util.Set.of("type", "topic", "cursor", "time",
            "contentType", "data", "text");

    public static String ack(String id, String name, String value) {
        JsonObject frame = new JsonObject();
        frame.addProperty("type", "ack");
        if (id != null) {
            frame.addProperty("id", id);
        }
        if (name != null) {
            frame.addProperty(name, value);
        }
        return Json.GSON.toJson(frame);
    }

    public static String error(String id, Error error, String message) {
        JsonObject frame = new JsonObject();
        frame.addProperty("type", "error");
        if (id != null) {
            frame.addProperty("id", id);
        }
        frame.addProperty("code", error.name());
        frame.addProperty("message", message);
        return Json.GSON.toJson(frame);
    }

    public static String gap(Gap gap) {
        JsonObject frame = new JsonObject();
        frame.addProperty("type", "gap");
        frame.addProperty("topic", gap.topic());
        frame.addProperty("epoch", Long.toString(gap.epoch()));
        frame.addProperty("missed", gap.missed());
        frame.addProperty("cause", gap.cause().name());
        return Json.GSON.toJson(frame);
    }

    public static String expiring(java.time.Instant at) {
        return "{\"type\":\"expiring\",\"at\":\"" + at + "\"}";
    }

    public static Error of(AuthFailure failure) {
        if (failure == AuthFailure.EXPIRED) {
            return Error.EXPIRED;
        }
        return failure.isUnauthenticated() ? Error.UNAUTHENTICATED : Error.FORBIDDEN;
    }

    public static Error of(ErrorKind kind) {
        return switch (kind) {
            case INVALID_TOPIC -> Error.INVALID_TOPIC;
            case PAYLOAD_TOO_LARGE -> Error.PAYLOAD_TOO_LARGE;
            case INVALID_PROJECT, INVALID_ARGUMENT -> Error.BAD_REQUEST;
            case FORBIDDEN -> Error.FORBIDDEN;
            case UNAUTHENTICATED -> Error.UNAUTHENTICATED;
            case EXPIRED -> Error.EXPIRED;
            case SLOW_CONSUMER -> Error.SLOW_CONSUMER;
            case CLOSED -> Error.INTERNAL;
        };
    }
}
