package dev.streams.benchmarks.load;

/**
 * The topics of a fan-out run ({@code --topics N}): one, as the figures were taken, or N, each with an
 * equal share of the subscribers, published in turn, so that a server's event loops hand several topics' events
 * between one another's. With more than one, a subscriber sees one message in N, so messages in flight, counted
 * against subscribers, cannot bound the publisher: such a run needs a fixed {@code --rate}.
 */
final class Topics {
    private final String base;
    private final int count;
    private final int subscribers;
    private long published;
    /** Deliveries the messages published so far owe: each message once to each subscriber of its topic. */
    private long owed;

    Topics(String base, int count, int subscribers, boolean boundedInFlight, boolean fixedTopic) {
        if (count < 1) {
            throw new IllegalArgumentException("--topics is at least 1, not " + count);
        }
        if (count > 1 && boundedInFlight) {
            throw new IllegalArgumentException("--topics above 1 needs --rate, not --inflight: a subscriber sees one "
                    + "topic's messages only");
        }
        if (count > 1 && fixedTopic) {
            throw new IllegalArgumentException("--topics above 1 needs a target whose subscribers choose a topic");
        }
        this.base = base;
        this.count = count;
        this.subscribers = subscribers;
    }

    /** The topic of the {@code i}th subscriber. */
    String ofSubscriber(int i) {
        return name(i % count);
    }

    /** The topic of the next message published (the publisher's thread only). */
    String next() {
        int topic = (int) (published++ % count);
        // Subscriber i takes topic i % count: the first subscribers % count topics have one more.
        owed += subscribers / count + (topic < subscribers % count ? 1 : 0);
        return name(topic);
    }

    /** The name of topic number {@code topic}: the base itself when there is one topic. */
    private String name(int topic) {
        return count == 1 ? base : base + "-" + topic;
    }

    /** Deliveries owed for every message published so far; the difference over a window is the window's. */
    long deliveriesOwed() {
        return owed;
    }
}
