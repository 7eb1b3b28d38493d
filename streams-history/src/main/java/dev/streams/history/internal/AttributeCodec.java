package dev.streams.history.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Event attributes (a flat string map) as a JSON object text, both ways. The store reads back only what it
 * wrote, so the reader accepts exactly this shape: an object of string members, no nesting.
 */
final class AttributeCodec {
    private AttributeCodec() {
    }

    static String encode(Map<String, String> attributes) {
        StringBuilder out = new StringBuilder(16 + attributes.size() * 24).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(out, e.getKey()).append(':');
            quote(out, e.getValue());
        }
        return out.append('}').toString();
    }

    private static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    static Map<String, String> decode(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] at = {skip(json, 1)};
        while (at[0] < json.length() && json.charAt(at[0]) == '"') {
            String key = string(json, at);
            at[0] = skip(json, skip(json, at[0]) + 1);
            String value = string(json, at);
            out.put(key, value);
            at[0] = skip(json, at[0]);
            if (at[0] < json.length() && json.charAt(at[0]) == ',') {
                at[0] = skip(json, at[0] + 1);
            }
        }
        return out;
    }

    private static int skip(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String string(String s, int[] at) {
        StringBuilder out = new StringBuilder();
        int i = at[0] + 1;
        while (s.charAt(i) != '"') {
            char c = s.charAt(i++);
            if (c == '\\') {
                char e = s.charAt(i++);
                switch (e) {
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    default -> out.append(e);
                }
            } else {
                out.append(c);
            }
        }
        at[0] = i + 1;
        return out.toString();
    }
}
