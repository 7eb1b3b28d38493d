package dev.streams.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The seam that lets several brokers (one per server) behave as one: implement it on a shared engine (for
 * example Redis, in streams-cluster-redis) and give it to {@link Broker.Builder#cluster(ClusterEngine)}.
 *
 * <p>The engine is the one authority over positions. A publish on any node goes to {@link #publish}, which
 * assigns the event's epoch, offset and timestamp and sends it to every node, this one included; each node
 * then hands it to its broker's {@link Node#apply}, which appends it to the topic's local history and fans
 * it out with the node's own subscription index. Nothing in core depends on the engine's technology.
 *
 * <p>The engine hands a topic's events to {@code apply} in offset order, on one thread at a time. When
 * {@code apply} answers that events are missing before the one it was given (the node missed messages), the
 * engine fetches them from its recovery log ({@link #recover}) and applies them first; when the log no
 * longer has them, it applies the event with {@code acceptLoss} and the broker tells the topic's subscribers
 * of the hole, exactly.
 */
public interface ClusterEngine extends AutoCloseable {
    /** Called once by the broker as it is built: from now on, hand every event of the cluster to {@code node}. */
    void start(Node node);

    /**
     * Positions an event and sends it to every node. {@code event} carries the payload, content type,
     * attributes and the publishing node's clock in its timestamp; its epoch and offset are ignored. Completes
     * with the event as positioned (the publish is then accepted), or exceptionally with a
     * {@link StreamsException} (UNAVAILABLE while the engine cannot take it: never accepted and then lost).
     * Must not block the calling thread.
     */
    CompletableFuture<Event> publish(Event event);

    /**
     * The authority's newest position of a topic, or empty when it has none. May block on I/O; throws
     * {@link StreamsException} (UNAVAILABLE) when the engine cannot answer.
     */
    Optional<Position> position(String project, String topic);

    /**
     * Events of one epoch of a topic with offsets from {@code fromOffset} to {@code toOffset}, oldest first,
     * from the engine's recovery log. When the log no longer has the oldest of them it returns the ones it
     * has (always the newest, with no hole among them). May block on I/O; throws {@link StreamsException}
     * (UNAVAILABLE) when the engine cannot answer.
     */
    List<Event> recover(String project, String topic, long epoch, long fromOffset, long toOffset);

    /** How the engine is doing, for {@code /healthz} and {@code /metrics}. */
    HistoryStore.Status status();

    /** Stops receiving and releases the engine's connections. */
    @Override
    void close();

    /** The broker's side of the seam. */
    interface Node {
        /**
         * Applies the next event of its topic (already positioned by the engine). Returns 0 when the event was
         * applied or this node already had it; otherwise the first offset of the event's epoch that this node
         * is missing before it, and the event is not applied. With {@code acceptLoss} it is always applied,
         * and the subscribers of the topic are told of any hole before it. {@code acceptedHere} says whether
         * this node accepted the publish: with a history store that the nodes share
         * ({@link HistoryStore#sharedByNodes()}) only that node writes it.
         */
        long apply(Event event, boolean acceptLoss, boolean acceptedHere);

        /**
         * Calls {@code visitor} with each topic this node holds and the position of its last event here, so an
         * engine that may have missed messages (its connection dropped) can compare with its authority and
         * refill. Call it on the thread that applies events.
         */
        void forEachTopic(TopicVisitor visitor);
    }

    /** Receives one topic of {@link Node#forEachTopic}. */
    @FunctionalInterface
    interface TopicVisitor {
        /** One topic and the position of its last event on this node. */
        void visit(String project, String topic, Position last);
    }
}
