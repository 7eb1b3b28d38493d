package dev.streams.benchmarks.load;

import io.netty.channel.Channel;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What {@code --inflight N} counts as a message in flight: sent and not yet received by the first subscriber (the
 * default, as the figures were taken), or, with {@code --inflight-of slowest}, by every subscriber. The
 * first way depends on where a server writes that subscriber in its pass over the others: written first, it lets
 * the publisher send again while the pass goes on, and each write carries fewer messages. The second does not.
 * Subscribers' counts are updated on the client's threads and read by the publisher.
 */
final class InFlightGate {
    private final boolean slowest;
    private final int limit;
    /** Each subscriber's place in {@link #received}; set once the subscribers are open. */
    private volatile Map<Channel, Integer> places = Map.of();
    private volatile AtomicLongArray received = new AtomicLongArray(0);
    /** The least any subscriber had received when last looked at (the publisher's thread only). */
    private long leastSeen;

    /** {@code of}: "first" or "slowest"; {@code limit}: the N of {@code --inflight}. */
    InFlightGate(String of, int limit) {
        if (!of.equals("first") && !of.equals("slowest")) {
            throw new IllegalArgumentException("--inflight-of is first or slowest, not " + of);
        }
        this.slowest = of.equals("slowest");
        this.limit = limit;
    }

    /** What the result row adds to "N in flight": nothing for the first subscriber. */
    String label() {
        return slowest ? " of all" : "";
    }

    /** The subscribers, in the order they were opened: the first one is the first in {@code channels}. */
    void subscribers(List<Channel> channels) {
        List<Channel> counted = slowest ? channels : channels.subList(0, 1);
        Map<Channel, Integer> byChannel = new IdentityHashMap<>();
        for (int i = 0; i < counted.size(); i++) {
            byChannel.put(counted.get(i), i);
        }
        received = new AtomicLongArray(counted.size());
        places = byChannel;
    }

    /** {@code channel} received {@code messages} (any client thread). */
    void received(Channel channel, int messages) {
        Integer place = places.get(channel);
        if (place != null) {
            received.addAndGet(place, messages);
        }
    }

    /**
     * Messages in flight after {@code sent} were sent. The least received is looked at again only when the last
     * look says the limit is reached, so a publisher with room does not walk every subscriber each time.
     */
    long inFlight(long sent) {
        if (sent - leastSeen >= limit) {
            AtomicLongArray counts = received;
            long least = Long.MAX_VALUE;
            for (int i = 0; i < counts.length(); i++) {
                least = Math.min(least, counts.get(i));
            }
            leastSeen = counts.length() == 0 ? 0 : least;
        }
        return sent - leastSeen;
    }
}
