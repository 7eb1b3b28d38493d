package dev.streams.core.internal;

import dev.streams.core.ClusterEngine;
import dev.streams.core.HistoryStore;
import dev.streams.core.Position;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One project's topics: created within the project's topic limit (in a cluster, starting where the engine's
 * authority stands), looked up, and forgotten when idle.
 *
 * <p>Concurrency: the map is concurrent and each {@link TopicState} is guarded by its own monitor. A topic is
 * forgotten under its monitor by marking it {@code removed} before it leaves the map, so a publisher or
 * subscriber that raced with the eviction looks the topic up again rather than using a forgotten state.
 */
final class TopicTable {
    private final String project;
    private final HistoryStore store;
    private final ClusterEngine cluster;
    private final ProjectAdmission admission;
    /** Frees room when the table is at the topic limit (expires history, forgets idle topics). */
    private final Runnable sweep;
    private final ConcurrentHashMap<String, TopicState> topics = new ConcurrentHashMap<>();

    TopicTable(String project, HistoryStore store, ClusterEngine cluster, ProjectAdmission admission, Runnable sweep) {
        this.project = project;
        this.store = store;
        this.cluster = cluster;
        this.admission = admission;
        this.sweep = sweep;
    }

    /** The topic's state if it is held here, else null. */
    TopicState find(String topic) {
        return topics.get(topic);
    }

    /** The topic's state, created within the topic limit. */
    TopicState get(String topic) {
        TopicState state = topics.get(topic);
        if (state != null) {
            return state;
        }
        checkLimit(topic);
        if (cluster != null) {
            return open(topic, null);
        }
        // Opening may read the store (a database): not inside computeIfAbsent, whose bin lock would hold up every
        // other topic created in the same bin meanwhile, publishers on event loops among them. Two threads that
        // open one new topic at once both read it; the loser drops its copy (opening writes nothing).
        TopicState opened = new TopicState(topic, store.open(project, topic));
        TopicState raced = topics.putIfAbsent(topic, opened);
        return raced != null ? raced : opened;
    }

    /** Refuses a topic the project does not have yet when it is at its topic limit (see {@link ProjectAdmission}). */
    void checkLimit(String topic) {
        if (!topics.containsKey(topic)) {
            admission.checkNewTopic(topics.size(), () -> topics.containsKey(topic) ? 0 : topics.size(), sweep);
        }
    }

    /**
     * A clustered topic starts where the engine's authority stands ({@code known}, or asked for). Asking may
     * block on the engine's I/O, so it happens outside the map's lock; the loser of a race drops its copy.
     */
    TopicState open(String topic, Position known) {
        TopicState state = topics.get(topic);
        if (state != null) {
            return state;
        }
        Position authority = known != null ? known : cluster.position(project, topic).orElse(null);
        TopicState opened = new TopicState(topic,
                new ClusterTopicHistory(store.open(project, topic), cluster, project, topic, authority));
        TopicState raced = topics.putIfAbsent(topic, opened);
        return raced != null ? raced : opened;
    }

    /** Every topic held now (a live view: topics come and go while it is walked). */
    Collection<TopicState> all() {
        return topics.values();
    }

    /** Under {@code state}'s monitor: forgets it; a later use of the topic creates it anew. */
    void forget(TopicState state) {
        state.removed = true;
        topics.remove(state.name, state);
    }

    /** Topics that hold at least one event. */
    int withEvents() {
        int count = 0;
        for (TopicState state : topics.values()) {
            synchronized (state) {
                if (state.history.lastOffset() > 0) {
                    count++;
                }
            }
        }
        return count;
    }
}
