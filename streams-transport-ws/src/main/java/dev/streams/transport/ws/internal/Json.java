package dev.streams.transport.ws.internal;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.streams.devices.StorableJson;
import dev.streams.protocol.JsonText;

/** Gson set up once, strict parsing of requests ({@link StorableJson}), and the hot path's string quoting. */
public final class Json {
    /** Keeps {@code null} members: device data and published JSON are stored exactly as sent. */
    public static final Gson GSON = StorableJson.GSON;

    private Json() {
    }

    /** Parses exactly one strict, storable JSON value ({@link StorableJson#parse}). */
    public static JsonElement parseStrict(String text) {
        return StorableJson.parse(text);
    }

    /** Parses a strict JSON object. */
    public static JsonObject parseObject(String text) {
        JsonElement value = parseStrict(text);
        if (!value.isJsonObject()) {
            throw new JsonParseException("expected a JSON object");
        }
        return value.getAsJsonObject();
    }

    /** Appends {@code value} as a JSON string literal ({@link JsonText#quote}). */
    public static StringBuilder quote(StringBuilder out, String value) {
        return JsonText.quote(out, value);
    }

    /** A string member, or null when absent, null or not a string. */
    public static String string(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString() : null;
    }
}
