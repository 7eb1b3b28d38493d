package dev.streams.transport.ws.internal.nativeproto;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.streams.protocol.NativeProtocol;
import dev.streams.core.Position;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
import dev.streams.transport.ws.internal.BadInput;
import dev.streams.transport.ws.internal.Json;
import dev.streams.transport.ws.internal.Requests;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the fields of native requests. Every way a field can be wrong (missing, wrong JSON type, out of
 * range, unparsable) ends in {@link BadRequest} with a message written for the client; no parser's own
 * exception or message escapes, so a malformed request never costs the connection.
 */
final class NativeRequests {
    /** Resume maps at most this many topics. */
    static final int MAX_RESUME_TOPICS = 1000;

    /** A request the server cannot act on; its message goes to the client as is. */
    static final class BadRequest extends BadInput {
        BadRequest(String message) {
            super(message);
        }
    }

    private NativeRequests() {
    }

    static String type(JsonObject request) {
        String type = Json.string(request, NativeProtocol.TYPE);
        if (type == null) {
            throw new BadRequest("type must be a string");
        }
        return type;
    }

    /** A string member that must be present and non-empty. */
    static String required(JsonObject request, String name) {
        JsonElement value = request.get(name);
        if (value == null || value.isJsonNull()) {
            throw new BadRequest("missing " + name);
        }
        if (!isString(value) || value.getAsString().isEmpty()) {
            throw new BadRequest(name + " must be a non-empty string");
        }
        return value.getAsString();
    }

    /** {@code resume} (topic → cursor) over {@code since} (RFC 3339) or {@code last} (a count); else latest. */
    static StartPosition startOf(JsonObject request) {
        StartPosition others = StartPosition.latest();
        if (request.has(NativeProtocol.SINCE)) {
            others = Requests.since(required(request, NativeProtocol.SINCE));
        } else if (request.has(NativeProtocol.LAST)) {
            others = StartPosition.last(count(request.get(NativeProtocol.LAST), NativeProtocol.LAST));
        }
        JsonElement resume = request.get(NativeProtocol.RESUME);
        if (resume == null || resume.isJsonNull()) {
            return others;
        }
        if (!resume.isJsonObject()) {
            throw new BadRequest("resume maps topics to cursors");
        }
        Map<String, JsonElement> entries = resume.getAsJsonObject().asMap();
        if (entries.size() > MAX_RESUME_TOPICS) {
            throw new BadRequest("resume lists at most " + MAX_RESUME_TOPICS + " topics");
        }
        Map<String, Position> positions = new HashMap<>();
        for (Map.Entry<String, JsonElement> e : entries.entrySet()) {
            if (!isString(e.getValue())) {
                throw new BadRequest("resume." + e.getKey() + " must be a cursor string <epoch>-<offset>");
            }
            try {
                positions.put(e.getKey(), Position.fromCursor(e.getValue().getAsString()));
            } catch (StreamsException notACursor) {
                throw new BadRequest("resume." + e.getKey() + " is not a cursor: a cursor is <epoch>-<offset>");
            }
        }
        return StartPosition.resume(positions, others);
    }

    private static int count(JsonElement value, String name) {
        if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            try {
                long n = value.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
                if (n >= 0 && n <= Integer.MAX_VALUE) {
                    return (int) n;
                }
            } catch (ArithmeticException | NumberFormatException notWhole) {
                // reported below
            }
        }
        throw new BadRequest(name + " must be a whole number from 0 to " + Integer.MAX_VALUE);
    }

    private static boolean isString(JsonElement value) {
        return value instanceof JsonPrimitive p && p.isString();
    }
}
