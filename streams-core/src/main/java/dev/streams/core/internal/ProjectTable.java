package dev.streams.core.internal;

import dev.streams.core.ClusterEngine;
import dev.streams.core.Event;
import dev.streams.core.HistoryStore;
import dev.streams.core.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Every project of one broker, each made on first use, and what the broker does to all of them at once (sweep,
 * close). It is also the node a cluster engine delivers to ({@link ClusterEngine.Node}): a positioned event
 * goes to its project, which appends and fans it out as a local publish would.
 */
public final class ProjectTable implements ClusterEngine.Node {
    private static final System.Logger LOG = System.getLogger(ProjectTable.class.getName());

    private final ConcurrentHashMap<String, ProjectState> projects = new ConcurrentHashMap<>();
    private final Function<String, ProjectState> create;
    private final BooleanSupplier closed;

    /**
     * @param create makes a project's state (called with a valid project id)
     * @param closed whether the broker closed: a cluster's events are then no longer applied
     */
    public ProjectTable(Function<String, ProjectState> create, BooleanSupplier closed) {
        this.create = create;
        this.closed = closed;
    }

    /** The project's state, made on first use; {@code project} must be valid. */
    public ProjectState get(String project) {
        ProjectState state = projects.get(project);
        return state != null ? state : projects.computeIfAbsent(project, create);
    }

    /**
     * Remembers the idempotency keys the store holds with events since {@code sinceNanos} (the window before now),
     * so that a publish retried across a restart is stored once. Read once, at start.
     */
    public void restoreIdempotencyKeys(HistoryStore store, long sinceNanos) {
        for (Event stored : store.idempotencyReceipts(sinceNanos)) {
            get(stored.project()).restoreIdempotencyKey(stored);
        }
    }

    /** The project's state, made on first use after checking the name (a known project needs no check). */
    public ProjectState checked(String project) {
        ProjectState state = projects.get(project);
        if (state != null) {
            return state;
        }
        Topics.requireProject(project);
        return get(project);
    }

    /** The project's state, or null when it was never used. */
    public ProjectState find(String project) {
        return projects.get(project);
    }

    /** The projects used so far. */
    public Set<String> names() {
        return Set.copyOf(projects.keySet());
    }

    /** Sweeps every project; one that fails is logged and the others are still swept. */
    public void sweep() {
        for (ProjectState state : projects.values()) {
            try {
                state.sweep();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "sweeping project " + state.name() + " failed", e);
            }
        }
    }

    /** Ends every subscription of every project (see {@link ProjectState#closeAll()}); returns them. */
    public List<QueuedSubscription> closeAll() {
        List<QueuedSubscription> closing = new ArrayList<>();
        for (ProjectState state : projects.values()) {
            closing.addAll(state.closeAll());
        }
        return closing;
    }

    @Override
    public long apply(Event event, boolean acceptLoss, boolean acceptedHere) {
        return closed.getAsBoolean() ? 0 : get(event.project()).apply(event, acceptLoss, acceptedHere);
    }

    @Override
    public void forEachTopic(ClusterEngine.TopicVisitor visitor) {
        projects.values().forEach(state -> state.forEachTopic(visitor));
    }
}
