package dev.streams.core;

import dev.streams.protocol.TopicRule;

/** A topic name or subscription pattern was refused; {@link #rule()} names the rule it broke. */
public final class InvalidTopicException extends StreamsException {
    private static final long serialVersionUID = 1L;

    private final TopicRule rule;
    private final String topic;

    /** A refusal of {@code topic} for breaking {@code rule}. */
    public InvalidTopicException(String topic, TopicRule rule) {
        super(ErrorKind.INVALID_TOPIC, "invalid topic '" + printable(topic) + "': " + rule.description());
        this.rule = rule;
        this.topic = topic;
    }

    /** The rule the topic or pattern breaks. */
    public TopicRule rule() {
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
