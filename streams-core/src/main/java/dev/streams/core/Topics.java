package dev.streams.core;

import dev.streams.core.InvalidTopicException.Rule;
import java.util.Arrays;

/**
 * Topic names and subscription patterns. Topics are dot-separated tokens; a pattern may use {@code *} for
 * exactly one token and {@code >} for one or more trailing tokens. Used by the broker and by the auth and
 * transport modules so every layer applies the same rules.
 */
public final class Topics {
    private static final int MAX_PROJECT_LENGTH = 128;
    /** The default maximum length of a topic or pattern, in chars. */
    public static final int DEFAULT_MAX_LENGTH = 256;
    /** The pattern matching every topic. */
    public static final String ALL = ">";

    private Topics() {
    }

    /** Checks a topic one may publish to; throws {@link InvalidTopicException} naming the rule it breaks. */
    public static String requireTopic(String topic) {
        return check(topic, false, DEFAULT_MAX_LENGTH);
    }

    /** Checks a subscription pattern; throws {@link InvalidTopicException} naming the rule it breaks. */
    public static String requirePattern(String pattern) {
        return check(pattern, true, DEFAULT_MAX_LENGTH);
    }

    static String check(String topic, boolean wildcardsAllowed, int maxLength) {
        if (topic == null || topic.isEmpty()) {
            throw new InvalidTopicException(topic, Rule.EMPTY);
        }
        if (topic.length() > maxLength) {
            throw new InvalidTopicException(topic, Rule.TOO_LONG);
        }
        if (topic.charAt(0) == '.') {
            throw new InvalidTopicException(topic, Rule.LEADING_DOT);
        }
        if (topic.charAt(topic.length() - 1) == '.') {
            throw new InvalidTopicException(topic, Rule.TRAILING_DOT);
        }
        int tokenStart = 0;
        for (int i = 0; i <= topic.length(); i++) {
            char c = i < topic.length() ? topic.charAt(i) : '.';
            if (c == '.') {
                if (i == tokenStart) {
                    throw new InvalidTopicException(topic, Rule.EMPTY_TOKEN);
                }
                checkWildcardToken(topic, tokenStart, i, wildcardsAllowed);
                tokenStart = i + 1;
            } else if (c == '/') {
                throw new InvalidTopicException(topic, Rule.SLASH);
            } else if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new InvalidTopicException(topic, Rule.CONTROL_CHARACTER);
            }
        }
        return topic;
    }

    private static void checkWildcardToken(String topic, int start, int end, boolean wildcardsAllowed) {
        boolean hasWildcard = false;
        for (int i = start; i < end; i++) {
            char c = topic.charAt(i);
            if (c == '*' || c == '>') {
                hasWildcard = true;
                break;
            }
        }
        if (!hasWildcard) {
            return;
        }
        if (!wildcardsAllowed) {
            throw new InvalidTopicException(topic, Rule.WILDCARD_IN_TOPIC);
        }
        char first = topic.charAt(start);
        boolean wholeToken = end - start == 1;
        boolean last = end == topic.length();
        if (!wholeToken || (first == '>' && !last)) {
            throw new InvalidTopicException(topic, Rule.BAD_WILDCARD);
        }
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

    /**
     * Checks a project id: 1 to 128 characters of {@code [A-Za-z0-9._-]}. Throws {@link StreamsException}
     * (INVALID_PROJECT) otherwise; the one definition of the rule, for every module.
     */
    public static void requireProject(String project) {
        if (project == null || project.isEmpty() || project.length() > MAX_PROJECT_LENGTH) {
            throw new StreamsException(ErrorKind.INVALID_PROJECT, "project id must be 1 to 128 characters");
        }
        for (int i = 0; i < project.length(); i++) {
            char c = project.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                throw new StreamsException(ErrorKind.INVALID_PROJECT, "project id may only use [A-Za-z0-9._-]");
            }
        }
    }
}
