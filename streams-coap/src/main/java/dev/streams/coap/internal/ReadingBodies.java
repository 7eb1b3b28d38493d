package dev.streams.coap.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A device's request body as the JSON text the ingest takes: JSON (content-format 50, or none) as it is, CBOR
 * (60) converted value for value (maps with text keys, arrays, numbers, text, booleans, null; byte strings as
 * base64 text). Anything else is refused before it reaches the broker.
 */
public final class ReadingBodies {
    /** application/json. */
    public static final int JSON = 50;
    /** application/cbor. */
    public static final int CBOR = 60;
    /** No Content-Format option: taken as JSON, as Golioth's devices send it. */
    public static final int NONE = -1;
    private static final int MAX_DEPTH = 32;
    private static final CBORFactory CBOR_FACTORY = new CBORFactory();

    private ReadingBodies() {
    }

    /** Whether a content format is one this endpoint reads. */
    public static boolean readable(int contentFormat) {
        return contentFormat == JSON || contentFormat == CBOR || contentFormat == NONE;
    }

    /** The body as JSON text; throws IllegalArgumentException, with what is wrong, for a body that is not valid. */
    public static String jsonOf(int contentFormat, byte[] body) {
        if (contentFormat != CBOR) {
            return new String(body, StandardCharsets.UTF_8);
        }
        try (JsonParser parser = CBOR_FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("empty CBOR body");
            }
            JsonElement value = read(parser, first, 0);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("CBOR body holds more than one value");
            }
            return value.toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("invalid CBOR: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid CBOR: " + e.getMessage(), e);
        }
    }

    private static JsonElement read(JsonParser parser, JsonToken token, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("CBOR nested deeper than " + MAX_DEPTH);
        }
        switch (token) {
            case START_OBJECT -> {
                JsonObject object = new JsonObject();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
                    String name = parser.currentName();
                    object.add(name, read(parser, parser.nextToken(), depth + 1));
                }
                return object;
            }
            case START_ARRAY -> {
                JsonArray array = new JsonArray();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(read(parser, next, depth + 1));
                }
                return array;
            }
            case VALUE_STRING -> {
                return new JsonPrimitive(parser.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                Number number = parser.getNumberValue();
                if (number instanceof Double d && (d.isNaN() || d.isInfinite())
                        || number instanceof Float f && (f.isNaN() || f.isInfinite())) {
                    throw new IllegalArgumentException("CBOR number is not finite");
                }
                return new JsonPrimitive(number);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new JsonPrimitive(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return JsonNull.INSTANCE;
            }
            case VALUE_EMBEDDED_OBJECT -> {
                return new JsonPrimitive(Base64.getEncoder().encodeToString(parser.getBinaryValue()));
            }
            default -> throw new IllegalArgumentException("unexpected CBOR item " + token);
        }
    }
}
