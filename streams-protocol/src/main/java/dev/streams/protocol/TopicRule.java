package dev.streams.protocol;

/** The naming rules of topics and patterns; published topics follow the m3o rule, patterns add {@code *} and {@code >}. */
public enum TopicRule {
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

    TopicRule(String description) {
        this.description = description;
    }

    /** The rule in words, for error messages. */
    public String description() {
        return description;
    }
}
