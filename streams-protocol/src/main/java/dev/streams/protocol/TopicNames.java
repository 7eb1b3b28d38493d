package dev.streams.protocol;

import java.util.Arrays;

/**
 * Topic names and subscription patterns: dot-separated tokens, {@code *} for one token, {@code >} for one or
 * more trailing ones. The one definition of what is valid and what matches what, for the server and clients.
 */
public final class TopicNames {
    /** The default maximum length of a topic or pattern, in chars. */
    public static final int DEFAULT_MAX_LENGTH = 256;
    /** The pattern matching every topic. */
    public static final String ALL = ">";

    private TopicNames() {
    }

    /**
     * The rule {@code topic} breaks, or null when it is valid: a topic one may publish to when
     * {@code wildcardsAllowed} is false, a subscription pattern when it is true.
     */
    public static TopicRule violation(String topic, boolean wildcardsAllowed, int maxLength) {
        if (topic == null || topic.isEmpty()) {
            return TopicRule.EMPTY;
        }
        if (topic.length() > maxLength) {
            return TopicRule.TOO_LONG;
        }
        if (topic.charAt(0) == '.') {
            return TopicRule.LEADING_DOT;
        }
        if (topic.charAt(topic.length() - 1) == '.') {
            return TopicRule.TRAILING_DOT;
        }
        int tokenStart = 0;
        for (int i = 0; i <= topic.length(); i++) {
            char c = i < topic.length() ? topic.charAt(i) : '.';
            if (c == '.') {
                if (i == tokenStart) {
                    return TopicRule.EMPTY_TOKEN;
                }
                TopicRule wildcard = wildcardViolation(topic, tokenStart, i, wildcardsAllowed);
                if (wildcard != null) {
                    return wildcard;
                }
                tokenStart = i + 1;
            } else if (c == '/') {
                return TopicRule.SLASH;
            } else if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return TopicRule.CONTROL_CHARACTER;
            }
        }
        return null;
    }

    private static TopicRule wildcardViolation(String topic, int start, int end, boolean wildcardsAllowed) {
        boolean hasWildcard = false;
        for (int i = start; i < end; i++) {
            char c = topic.charAt(i);
            if (c == '*' || c == '>') {
                hasWildcard = true;
                break;
            }
        }
        if (!hasWildcard) {
            return null;
        }
        if (!wildcardsAllowed) {
            return TopicRule.WILDCARD_IN_TOPIC;
        }
        char first = topic.charAt(start);
        boolean wholeToken = end - start == 1;
        boolean last = end == topic.length();
        return !wholeToken || (first == '>' && !last) ? TopicRule.BAD_WILDCARD : null;
    }

    /** Whether a pattern contains a wildcard token (a plain topic name is a pattern matching only itself). */
    public static boolean hasWildcard(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('>') >= 0;
    }

    /** Whether a valid pattern matches a valid topic. */
    public static boolean matches(String pattern, String topic) {
        String[] p = pattern.split("\\.", -1);
        String[] t = topic.split("\\.", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(">")) {
                return t.length > i;
            }
            if (i >= t.length || (!p[i].equals("*") && !p[i].equals(t[i]))) {
                return false;
            }
        }
        return p.length == t.length;
    }

    /**
     * Whether every topic matched by {@code inner} is also matched by {@code outer}: used to check that a
     * requested subscription (or a token being issued) stays inside what a credential allows.
     */
    public static boolean covers(String outer, String inner) {
        String[] o = outer.split("\\.", -1);
        String[] in = inner.split("\\.", -1);
        for (int i = 0; i < o.length; i++) {
            if (o[i].equals(">")) {
                return in.length > i;
            }
            if (i >= in.length || in[i].equals(">")) {
                return false;
            }
            if (!o[i].equals("*") && (in[i].equals("*") || !o[i].equals(in[i]))) {
                return false;
            }
        }
        return o.length == in.length;
    }

    /**
     * The pattern matching exactly the topics both valid patterns match, or null when they share none: how a
     * request is narrowed to what a credential allows ({@code devices.*.stream} within {@code devices.d1.>} is
     * {@code devices.d1.stream}).
     */
    public static String intersection(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        StringBuilder out = new StringBuilder(Math.max(a.length(), b.length()));
        for (int i = 0; ; i++) {
            if (i == x.length || i == y.length) {
                return x.length == y.length ? out.toString() : null;
            }
            if (x[i].equals(">") || y[i].equals(">")) {
                // ">" is one or more trailing tokens, so the other side's rest (at least one token) is the answer.
                String[] rest = x[i].equals(">") ? y : x;
                return out.append(i == 0 ? "" : ".").append(String.join(".", Arrays.copyOfRange(rest, i, rest.length)))
                        .toString();
            }
            String token;
            if (x[i].equals("*")) {
                token = y[i];
            } else if (y[i].equals("*") || x[i].equals(y[i])) {
                token = x[i];
            } else {
                return null;
            }
            out.append(i == 0 ? "" : ".").append(token);
        }
    }
}
