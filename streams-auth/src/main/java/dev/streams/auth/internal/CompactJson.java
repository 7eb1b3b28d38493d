package dev.streams.auth.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the little JSON that token headers and claims need (writing is {@link CompactJsonWriter}'s), so the core
 * stays free of dependencies. Strict:
 * rejects trailing data, duplicate keys, bad escapes and nesting deeper than {@link #MAX_DEPTH}. Numbers
 * parse to {@link Long} when integral and in range, otherwise {@link BigDecimal}.
 */
public final class CompactJson {
    static final int MAX_DEPTH = 16;
    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final String text;
    private int pos;
    /** Members read so far by {@link #nextMember}, to know whether a comma must come first. */
    private int membersRead;
    /** The current member's name: where it lies in the text, or the decoded name when it holds escapes. */
    private int nameStart;
    private int nameEnd;
    private String escapedName;

    private CompactJson(String text) {
        this.text = text;
    }

    /** Parses a JSON object; throws {@link IllegalArgumentException} on anything else. */
    public static Map<String, Object> parseObject(String text) {
        CompactJson parser = new CompactJson(text);
        parser.skipSpace();
        if (parser.peek() != '{') {
            throw new IllegalArgumentException("not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) parser.value(0);
        parser.skipSpace();
        if (parser.pos != text.length()) {
            throw new IllegalArgumentException("trailing data after JSON object");
        }
        return result;
    }

    /**
     * Starts reading a JSON object member by member, for a caller that knows which members it expects and
     * would only take them out of a map again (token claims): {@link #nextName}, then {@link #nextValue}, until
     * {@link #nextName} returns null. Duplicate names are the caller's to reject. As strict as
     * {@link #parseObject} otherwise.
     */
    public static CompactJson objectReader(String text) {
        CompactJson parser = new CompactJson(text);
        parser.skipSpace();
        if (parser.pos >= text.length() || parser.peek() != '{') {
            throw new IllegalArgumentException("not a JSON object");
        }
        parser.pos++;
        return parser;
    }

    /** The next member's name, or null after the last member, when nothing but whitespace may follow. */
    public String nextName() {
        return nextMember() ? name() : null;
    }

    /**
     * Moves to the next member and reads its name without making a string of it (see {@link #nameIs} and
     * {@link #name}); false after the last member, when nothing but whitespace may follow.
     */
    public boolean nextMember() {
        skipSpace();
        if (peek() == '}') {
            pos++;
            skipSpace();
            if (pos != text.length()) {
                throw new IllegalArgumentException("trailing data after JSON object");
            }
            return false;
        }
        if (membersRead > 0) {
            expect(',');
            skipSpace();
        }
        if (peek() != '"') {
            throw new IllegalArgumentException("expected a key at " + pos);
        }
        int end = plainStringEnd(pos + 1);
        if (end >= 0) {
            nameStart = pos + 1;
            nameEnd = end;
            escapedName = null;
            pos = end + 1;
        } else {
            escapedName = string();
        }
        skipSpace();
        expect(':');
        membersRead++;
        return true;
    }

    /** Whether the current member's name is {@code candidate}. */
    public boolean nameIs(String candidate) {
        if (escapedName != null) {
            return escapedName.equals(candidate);
        }
        int length = nameEnd - nameStart;
        return length == candidate.length() && text.startsWith(candidate, nameStart);
    }

    /** The current member's name. */
    public String name() {
        return escapedName != null ? escapedName : text.substring(nameStart, nameEnd);
    }

    /** Where the string starting at {@code from} (after its quote) ends, or -1 when it has an escape. */
    private int plainStringEnd(int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    /** The value of the member {@link #nextName} just named, typed as {@link #parseObject} types values. */
    public Object nextValue() {
        return value(1);
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nested too deeply");
        }
        skipSpace();
        char c = peek();
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw new IllegalArgumentException("unexpected character at " + pos);
        }
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw new IllegalArgumentException("expected a key at " + pos);
            }
            String key = string();
            skipSpace();
            expect(':');
            int before = map.size();
            map.put(key, value(depth + 1));
            if (map.size() == before) {
                throw new IllegalArgumentException("duplicate key " + key);
            }
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                return map;
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                return list;
            }
        }
    }

    private String string() {
        expect('"');
        // Fast path: most strings have no escapes; take them as one substring.
        int end = plainStringEnd(pos);
        if (end >= 0) {
            String plain = text.substring(pos, end);
            pos = end + 1;
            return plain;
        }
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw new IllegalArgumentException("truncated escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException bad) {
                        throw new IllegalArgumentException("bad unicode escape");
                    }
                    pos += 4;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = pos;
        while (pos < text.length() && isNumberChar(text.charAt(pos))) {
            pos++;
        }
        if (isSmallInteger(start, pos)) {
            // Fast path for the integers claims are made of (iat, exp): no regex, no BigDecimal.
            return Long.parseLong(text, start, pos, 10);
        }
        String raw = text.substring(start, pos);
        if (raw.length() > 64 || !NUMBER.matcher(raw).matches()) {
            throw new IllegalArgumentException("bad number");
        }
        BigDecimal value = new BigDecimal(raw);
        try {
            return value.longValueExact();
        } catch (ArithmeticException notLong) {
            return value;
        }
    }

    private static boolean isNumberChar(char c) {
        return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
    }

    /** An optional minus and 1 to 18 digits without a leading zero (or a lone zero): always fits a long. */
    private boolean isSmallInteger(int start, int end) {
        int digits = start < end && text.charAt(start) == '-' ? start + 1 : start;
        int count = end - digits;
        if (count < 1 || count > 18 || (text.charAt(digits) == '0' && count > 1)) {
            return false;
        }
        for (int i = digits; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw new IllegalArgumentException("unexpected literal at " + pos);
        }
        pos += word.length();
        return value;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw new IllegalArgumentException("unexpected end of JSON");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + (pos - 1));
        }
    }
}
