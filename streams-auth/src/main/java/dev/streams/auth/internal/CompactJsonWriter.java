package dev.streams.auth.internal;

import dev.streams.protocol.JsonText;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Writes the little JSON that token headers and claims need (the reading side is {@link CompactJson}), so the
 * core stays free of dependencies.
 */
public final class CompactJsonWriter {
    private CompactJsonWriter() {
    }

    /** Writes strings, numbers, booleans, null, lists and maps with string keys. */
    public static String write(Map<String, ?> object) {
        StringBuilder out = new StringBuilder(128);
        writeValue(out, object);
        return out.toString();
    }

    private static void writeValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof BigDecimal) {
            out.append(value);
        } else if (value instanceof Double d && Double.isFinite(d)) {
            out.append(BigDecimal.valueOf(d).toPlainString());
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JSON object keys must be strings");
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, key);
                out.append(':');
                writeValue(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeValue(out, list.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON");
        }
    }

    private static void writeString(StringBuilder out, String s) {
        JsonText.quote(out, s);
    }
}
