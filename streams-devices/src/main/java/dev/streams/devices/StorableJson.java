package dev.streams.devices;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/**
 * The JSON a reading or a published event may hold, read strictly (Gson's own parser is lenient and would
 * accept malformed input): exactly one value, nested at most 64 deep, finite numbers, strings that are Unicode
 * text. The one definition for device ingestion and for every dialect that takes JSON.
 */
public final class StorableJson {
    /** Keeps {@code null} members: device data and published JSON are stored exactly as sent. */
    public static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private StorableJson() {
    }

    /**
     * Parses exactly one strict JSON value; throws {@link JsonParseException} on anything else, and
     * {@link Unstorable} (with a message fit for the client) on valid JSON that cannot be stored as sent.
     */
    public static JsonElement parse(String text) {
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
        private static final long serialVersionUID = 1L;

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
}
