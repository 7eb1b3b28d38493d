package dev.streams.history.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;

/** Event attributes (a flat string map) as a JSON object text in the attributes column, both ways. */
final class AttributeCodec {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final Type STRING_MAP = new TypeToken<LinkedHashMap<String, String>>() { }.getType();

    private AttributeCodec() {
    }

    static String encode(Map<String, String> attributes) {
        return GSON.toJson(attributes, STRING_MAP);
    }

    static Map<String, String> decode(String json) {
        return GSON.fromJson(json, STRING_MAP);
    }
}
