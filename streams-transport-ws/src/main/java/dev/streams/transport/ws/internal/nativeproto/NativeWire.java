package dev.streams.transport.ws.internal.nativeproto;

import com.google.gson.JsonObject;
import dev.streams.protocol.NativeProtocol;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.Position;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.FrameEncoding;
import dev.streams.transport.ws.internal.Json;
import java.nio.charset.StandardCharsets;

/** Frames of the native protocol (docs/PROTOCOL.md); errors carry a {@link Failure}'s name as their code. */
public final class NativeWire {
    /**
     * {@code {"type":"event","topic","cursor","time","contentType","data"|"text"}}: the same bytes for every
     * subscriber, so it names no subscription; clients route by topic.
     */
    public static final FrameEncoding EVENT = FrameEncoding.of("native", NativeWire::encode);

    private NativeWire() {
    }

    private static byte[] encode(Event event) {
        StringBuilder out = new StringBuilder(160 + event.payloadLength());
        Json.quote(out.append("{\"type\":\"event\",\"topic\":"), event.topic());
        Position.appendCursor(out.append(",\"cursor\":\""), event.epoch(), event.offset()).append('"');
        Json.quote(out.append(",\"time\":"), event.timestamp().toString());
        Json.quote(out.append(",\"contentType\":"), event.contentType());
        if (event.isJson()) {
            // A newline can only be whitespace in valid JSON (inside strings it is escaped), and no native
            // message holds one raw: clients reading several messages per frame split on it.
            String json = event.payloadAsString();
            out.append(",\"data\":").append(json.indexOf('\n') < 0 ? json : json.replace('\n', ' '));
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

    private static final java.util.Set<String> RESERVED = java.util.Set.of(NativeProtocol.TYPE, NativeProtocol.TOPIC, NativeProtocol.CURSOR, NativeProtocol.TIME,
            "contentType", NativeProtocol.DATA, NativeProtocol.TEXT);

    public static String ack(String id, String name, String value) {
        JsonObject frame = new JsonObject();
        frame.addProperty(NativeProtocol.TYPE, NativeProtocol.ACK);
        if (id != null) {
            frame.addProperty(NativeProtocol.ID, id);
        }
        if (name != null) {
            frame.addProperty(name, value);
        }
        return Json.GSON.toJson(frame);
    }

    /**
     * {@code {"type":"ack","id","sub","time"}}: a subscription is live, as of {@code time} on the server's clock,
     * so that a client resuming topics it has seen nothing of yet asks from there rather than from its own clock.
     */
    public static String subscribed(String id, String sub, java.time.Instant time) {
        JsonObject frame = new JsonObject();
        frame.addProperty(NativeProtocol.TYPE, NativeProtocol.ACK);
        if (id != null) {
            frame.addProperty(NativeProtocol.ID, id);
        }
        frame.addProperty(NativeProtocol.SUB, sub);
        frame.addProperty(NativeProtocol.TIME, time.toString());
        return Json.GSON.toJson(frame);
    }

    /** {@code {"type":"error","id"?,"code":<failure name>,"message"}}: the native rendering of a failure. */
    public static String error(String id, Failure error, String message) {
        JsonObject frame = new JsonObject();
        frame.addProperty(NativeProtocol.TYPE, NativeProtocol.ERROR);
        if (id != null) {
            frame.addProperty(NativeProtocol.ID, id);
        }
        frame.addProperty(NativeProtocol.CODE, error.code().name());
        frame.addProperty(NativeProtocol.MESSAGE, message);
        return Json.GSON.toJson(frame);
    }

    public static String gap(Gap gap) {
        // Written directly, not through a JSON tree: under overflow every subscriber is told, so this is hot.
        StringBuilder frame = new StringBuilder(100 + gap.topic().length()).append("{\"").append(NativeProtocol.TYPE).append("\":\"")
                .append(NativeProtocol.GAP).append("\",\"").append(NativeProtocol.TOPIC).append("\":");
        Json.quote(frame, gap.topic()).append(",\"").append(NativeProtocol.EPOCH).append("\":\"").append(gap.epoch())
                .append("\",\"").append(NativeProtocol.MISSED).append("\":").append(gap.missed()).append(",\"")
                .append(NativeProtocol.CAUSE).append("\":\"").append(gap.cause().name()).append("\"}");
        return frame.toString();
    }

    /** {@code {"type":"error","code":"FORBIDDEN","subs":[…],"message"}}: these subscriptions were ended. */
    public static String subscriptionsEnded(java.util.List<String> names, String message) {
        JsonObject frame = new JsonObject();
        frame.addProperty(NativeProtocol.TYPE, NativeProtocol.ERROR);
        frame.addProperty(NativeProtocol.CODE, Failure.FORBIDDEN.name());
        com.google.gson.JsonArray subs = new com.google.gson.JsonArray();
        names.forEach(subs::add);
        frame.add("subs", subs);
        frame.addProperty(NativeProtocol.MESSAGE, message);
        return Json.GSON.toJson(frame);
    }

    /** The gap event of an SSE stream whose Last-Event-ID could not be resumed: it starts live. */
    public static String resumeLost() {
        return "{\"type\":\"gap\",\"topic\":null,\"epoch\":null,\"missed\":-1,\"cause\":\"RESUME_UNAVAILABLE\"}";
    }

    public static String expiring(java.time.Instant at) {
        return "{\"type\":\"expiring\",\"at\":\"" + at + "\"}";
    }

}
