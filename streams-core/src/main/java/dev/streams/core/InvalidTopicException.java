package dev.streams.core;

/** A topic name or subscription pattern was refused; {@link #rule()} names the rule it broke. */
public final class InvalidTopicException extends StreamsException {
    private static final long serialVersionUID = 1L;

    /** The naming rules; published topics follow the m3o rule, patterns add {@code *} and {@code >}. */
    public enum Rule {
        EMPTY("must not be empty"),
        TOO_LONG("is longer than the configured maximum"),
        LEADING_DOT("must not start with '.'"),
        TRAILING_DOT("must not end with '.'"),
        EMPTY_TOKEN("must not contain '..'"),
        SLASH("must not contain '/'"),
        CONTROL_CHARACTER("must not contain control characters or spaces"),
        WILDCARD_IN_TOPIC("must not contain '*' or '>' (wildcards are for subscriptions only)"),
        BAD_WILDCARD("wildcards must be whole tokens: '*' anywhere, '>' only last");

        private final String description;

        Rule(String description) {
            this.description = description;
        }

        /** The rule in words, for error messages. */
        public String description() {
            return description;
        }
    }

    private final Rule rule;
    private final String topic;

    /** A refusal of {@code topic} for breaking {@code rule}. */
    public InvalidTopicException(String topic, Rule rule) {
        super(ErrorKind.INVALID_TOPIC, "invalid topic '" + printable(topic) + "': " + rule.description());
        this.rule = rule;
        this.topic = topic;
    }

    /** The rule the topic or pattern breaks. */
    public Rule rule() {
        return rule;
    }

    /** The refused topic or pattern. */
    public String topic() {
        return topic;
    }

    private static String printable(String topic) {
        if (topic == null) {
            return "null";
        }
        String cut = topic.length() > 64 ? topic.substring(0, 64) + "..." : topic;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
