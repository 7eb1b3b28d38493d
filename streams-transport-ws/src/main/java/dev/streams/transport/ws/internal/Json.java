package dev.streams.transport.ws.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/** Gson set up once, and strict parsing (Gson's own parser is lenient and would accept malformed input). */
public final class Json {
    /** Keeps {@code null} members: device data and published JSON are stored exactly as sent. */
    public static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private Json() {
    }

    /** Parses exactly one strict JSON value; throws {@link JsonParseException} on anything else. */
    public static JsonElement parseStrict(String text) {
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            reader.setNestingLimit(64);
            JsonElement value = GSON.getAdapter(JsonElement.class).read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("trailing data after JSON value");
            }
            requireStorable(value);
            return value;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new JsonParseException("invalid JSON", e);
        }
    }

    /**
     * Valid JSON text that cannot be stored as sent: a number too large for a double (such as {@code 1e999}), which
     * no database or client can hold, or a string with an unpaired surrogate ({@code "\\ud800"}), which is no
     * Unicode text and cannot be written as UTF-8. Refused where it arrives rather than stored to break every later
     * reader.
     */
    public static final class Unstorable extends JsonParseException {
        Unstorable(String message) {
            super(message);
        }
    }

    private static void requireStorable(JsonElement value) {
        if (value.isJsonPrimitive()) {
            JsonPrimitive p = value.getAsJsonPrimitive();
            if (p.isNumber() && !Double.isFinite(p.getAsDouble())) {
                String number = p.getAsString();
                throw new Unstorable("numbers must be finite; "
                        + (number.length() > 40 ? number.substring(0, 40) + "…" : number) + " is out of range");
            }
            if (p.isString()) {
                requireWholeText(p.getAsString());
            }
        } else if (value.isJsonArray()) {
            for (JsonElement item : value.getAsJsonArray()) {
                requireStorable(item);
            }
        } else if (value.isJsonObject()) {
            for (var entry : value.getAsJsonObject().entrySet()) {
                requireWholeText(entry.getKey());
                requireStorable(entry.getValue());
            }
        }
    }

    /** Throws {@link Unstorable} when {@code text} holds a surrogate that is not half of a pair. */
    private static void requireWholeText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new Unstorable("strings must be Unicode text; an unpaired surrogate \\u"
                        + Integer.toHexString(c) + " is not");
            }
        }
    }

    /** Parses a strict JSON object. */
    public static JsonObject parseObject(String text) {
        JsonElement value = parseStrict(text);
        if (!value.isJsonObject()) {
            throw new JsonParseException("expected a JSON object");
        }
        return value.getAsJsonObject();
    }

    /** Appends {@code value} as a JSON string literal: the hot-path alternative to building a Gson tree. */
    public static StringBuilder quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                                .append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A string member, or null when absent, null or not a string. */
    public static String string(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString() : null;
    }
}
