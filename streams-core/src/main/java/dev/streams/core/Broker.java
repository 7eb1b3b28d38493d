package dev.streams.core;

import dev.streams.core.internal.BrokerThreads;
import dev.streams.core.internal.FlowView;
import dev.streams.core.internal.LoopInboxes;
import dev.streams.core.internal.ProjectState;
import dev.streams.core.internal.ProjectTable;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The in-process topic broker: the one entry point of streams-core. Publishers on any thread store events
 * in per-topic history and hand them to every matching subscription of the same project without waiting on
 * any subscriber; each subscription has its own bounded queue and overflow policy. Thread-safe.
 *
 * <pre>{@code
 * try (Broker broker = Broker.create()) {
 *     broker.subscribe("demo", "devices.*.stream", StartPosition.latest(), e -> System.out.println(e));
 *     broker.publish("demo", "devices.d1.stream", "{\"temp\":21}".getBytes(UTF_8));
 * }
 * }</pre>
 */
public final class Broker implements AutoCloseable {
    private final Clock clock;
    private final HistoryStore historyStore;
    private final ClusterEngine cluster;
    private final int maxPayloadBytes;
    private final int maxTopicLength;
    private final SubscribeOptions defaultOptions;
    private final Duration closeTimeout;
    private final ProjectLimits projectLimits;
    private final BrokerThreads threads;
    private final ProjectTable projects;
    private final LoopInboxes inboxes = new LoopInboxes();
    private final LongAdder publishesInFlight = new LongAdder();
    private volatile boolean closed;

    private Broker(Builder b) {
        this.clock = b.clock;
        this.historyStore = b.historyStore;
        this.cluster = b.cluster;
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.maxTopicLength = b.maxTopicLength;
        this.defaultOptions = b.defaultOptions;
        this.closeTimeout = b.closeTimeout;
        this.projectLimits = b.projectLimits;
        this.threads = new BrokerThreads(b.deliveryExecutor, b.deliveryThreads);
        this.projects = new ProjectTable(p -> new ProjectState(p, historyStore, () -> Event.epochNanosOf(clock.instant()),
                threads.delivery(), inboxes, projectLimits, cluster, b.idempotency), () -> closed);
        projects.restoreIdempotencyKeys(historyStore, Event.epochNanosOf(clock.instant()) - b.idempotency.window().toNanos());
        if (cluster != null) {
            cluster.start(projects);
        }
        threads.every(b.sweepInterval, this::sweep);
    }

    /** A broker with default settings. */
    public static Broker create() {
        return builder().build();
    }

    /** Starts building a broker; every setting has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Publishes an opaque payload with content type {@link Event#DEFAULT_CONTENT_TYPE}. */
    public Event publish(String project, String topic, byte[] payload) {
        return publish(project, topic, Event.DEFAULT_CONTENT_TYPE, payload, Map.of());
    }

    /**
     * Publishes one event and returns it as stored (with its offset, epoch and timestamp). The payload is
     * copied. Throws {@link StreamsException} for an invalid project, topic or oversize payload, a project
     * limit, or when the broker is closed; in a cluster, also when the engine cannot take the publish
     * (UNAVAILABLE), and this waits for the engine to accept it. Event-loop callers use {@link #publishAsync}.
     */
    public Event publish(String project, String topic, String contentType, byte[] payload,
                         Map<String, String> attributes) {
        return StreamsException.await(publishAsync(project, topic, contentType, payload, attributes));
    }

    /**
     * Publishes one event without waiting: the future completes with the event as stored, or exceptionally
     * with the {@link StreamsException} that refused it (see {@link #publish}). Alone, the broker has stored
     * and fanned out the event before this returns; in a cluster, the future completes once the cluster's
     * engine accepted it. Never blocks, so I/O threads may call it. An {@link Idempotency#KEY} attribute makes a
     * retry safe: a repeat within the window gets the first publish's event and stores nothing.
     */
    public CompletableFuture<Event> publishAsync(String project, String topic, String contentType, byte[] payload,
                                                 Map<String, String> attributes) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(attributes, "attributes");
        publishesInFlight.increment();
        try {
            Topics.check(topic, false, maxTopicLength);
            if (payload.length > maxPayloadBytes) {
                throw new StreamsException(ErrorKind.PAYLOAD_TOO_LARGE,
                        "payload of " + payload.length + " bytes exceeds the limit of " + maxPayloadBytes);
            }
            ensureOpen();
            return projects.checked(project).publish(topic, contentType, payload.clone(), attributes);
        } catch (StreamsException refused) {
            return CompletableFuture.failedFuture(refused);
        } finally {
            publishesInFlight.decrement();
        }
    }

    /** Subscribes with the broker's default {@link SubscribeOptions}. */
    public Subscription subscribe(String project, String pattern, StartPosition start, SubscriptionListener listener) {
        return subscribe(project, pattern, start, defaultOptions, listener);
    }

    /**
     * Subscribes to a topic or pattern of one project. History selected by {@code start} is delivered
     * first, then live events; per topic, events arrive in offset order and never twice.
     */
    public Subscription subscribe(String project, String pattern, StartPosition start, SubscribeOptions options,
                                  SubscriptionListener listener) {
        checkSubscribe(pattern, start, options, listener);
        return projects.checked(project).subscribe(pattern, start, options, listener);
    }

    /**
     * Subscribes as {@link #subscribe(String, String, StartPosition, SubscribeOptions, SubscriptionListener)
     * subscribe} does when that needs no blocking read: a pattern that starts live, or a topic in memory whose
     * replay the in-memory history covers (a client reconnecting at or near the live end). Otherwise returns
     * empty, having done nothing, and the caller subscribes from a thread that may block. With a history whose
     * reads never block (in memory, on its own) every subscription is made here. I/O threads try this first, so
     * that a reconnect storm costs no database read and waits in no queue for the clients that need none.
     */
    public Optional<Subscription> subscribeIfInMemory(String project, String pattern, StartPosition start,
                                                      SubscribeOptions options, SubscriptionListener listener) {
        checkSubscribe(pattern, start, options, listener);
        if (!historyReadsBlock()) {
            return Optional.of(projects.checked(project).subscribe(pattern, start, options, listener));
        }
        return Optional.ofNullable(projects.checked(project).subscribeIfInMemory(pattern, start, options, listener));
    }

    /**
     * A {@link Flow.Publisher} view for in-process consumers: each Flow subscriber gets its own broker
     * subscription that delivers only what it {@code request}ed. Overflow under DISCONNECT ends it with
     * {@code onError}; closing the broker completes it. Gaps go to {@code gapHandler}.
     */
    public Flow.Publisher<Event> publisher(String project, String pattern, StartPosition start,
                                           SubscribeOptions options, Consumer<Gap> gapHandler) {
        Topics.check(pattern, true, maxTopicLength);
        Topics.requireProject(project);
        SubscribeOptions manual = options.toBuilder().manualDemand().build();
        return new FlowView(listener -> subscribe(project, pattern, start, manual, listener), gapHandler);
    }

    /** The resume point of the newest event of a topic, if the topic has one. */
    public Optional<Position> latestPosition(String project, String topic) {
        Topics.check(topic, false, maxTopicLength);
        ensureOpen();
        return projects.checked(project).latestPosition(topic);
    }

    /**
     * Whether {@code topic}'s fan-out is far behind: a loop of its subscribers holds over half the events it may
     * (past all of them it drops, and tells them). A lock-free hint, for a transport to slow its publisher down.
     */
    public boolean fanOutBehind(String project, String topic) {
        ProjectState state = projects.find(project);
        return state != null && state.fanOutBehind(topic);
    }

    /** Counters and gauges of one project (all zero for a project never seen). */
    public ProjectStats stats(String project) {
        Topics.requireProject(project);
        ProjectState state = projects.find(project);
        return state == null ? ProjectStats.EMPTY : state.stats();
    }

    /**
     * Answers a history query from the history store (a durable one; the in-memory store refuses with
     * UNAVAILABLE). Runs on the calling thread: a database query, bounded in rows and time by the store.
     */
    public HistoryQuery.Result query(HistoryQuery query) {
        Topics.requireProject(query.project());
        ensureOpen();
        return historyStore.query(query);
    }

    /** Whether a subscription that replays history may block on the store's I/O or the cluster's recovery. */
    private boolean historyReadsBlock() {
        return historyStore.readsBlock() || cluster != null;
    }

    /** How the cluster engine is doing (always healthy for a broker on its own); see {@link ClusterEngine#status()}. */
    public HistoryStore.Status clusterStatus() {
        return cluster == null ? HistoryStore.Status.OK : cluster.status();
    }

    /** Whether the broker is one node of a cluster ({@link Builder#cluster(ClusterEngine)}). */
    public boolean isClustered() {
        return cluster != null;
    }

    /** How the history store is doing (always healthy for the in-memory store); see {@link HistoryStore#status()}. */
    public HistoryStore.Status historyStatus() {
        return historyStore.status();
    }

    /** The limits every project is held to. */
    public ProjectLimits projectLimits() {
        return projectLimits;
    }

    /**
     * Expires history by age and evicts idle topics (no exact subscriber, no retained event) in every project
     * now. The broker does this by itself every sweep interval; hosts and tests may call it too.
     */
    public void sweep() {
        projects.sweep();
    }

    /** The projects that have been published or subscribed to. */
    public Set<String> projects() {
        return projects.names();
    }

    /**
     * Stops accepting publishes and subscriptions, waits for publishes in flight, then lets every
     * subscription deliver what it had queued and ends it with {@link CloseReason#BROKER_CLOSED}. After the
     * builder's close timeout, whatever is still queued is abandoned.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        threads.stopTimer();
        if (cluster != null) {
            cluster.close();
        }
        threads.drain(publishesInFlight, projects.closeAll(), System.nanoTime() + closeTimeout.toNanos());
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    private void checkSubscribe(String pattern, StartPosition start, SubscribeOptions options,
                                SubscriptionListener listener) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        Topics.check(pattern, true, maxTopicLength);
        ensureOpen();
    }

    private void ensureOpen() {
        if (closed) {
            throw new StreamsException(ErrorKind.CLOSED, "broker is closed");
        }
    }

    /** Builds a {@link Broker}; every setting has a default. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private HistoryStore historyStore = HistoryStore.inMemory(HistoryLimits.DEFAULT);
        /** Which of history(...) and historyStore(...) chose the store, so that the other cannot replace it. */
        private String historyChosenBy;
        private ClusterEngine cluster;
        private Executor deliveryExecutor;
        private int deliveryThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int maxPayloadBytes = 1024 * 1024;
        private int maxTopicLength = Topics.DEFAULT_MAX_LENGTH;
        private SubscribeOptions defaultOptions = SubscribeOptions.defaults();
        private Duration closeTimeout = Duration.ofSeconds(5);
        private ProjectLimits projectLimits = ProjectLimits.DEFAULT;
        private Duration sweepInterval = Duration.ofSeconds(5);
        private Idempotency idempotency = Idempotency.DEFAULT;

        private Builder() {
        }

        /** How long and how many idempotency keys each project remembers (default {@link Idempotency#DEFAULT}). */
        public Builder idempotency(Idempotency settings) {
            this.idempotency = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** What each project may hold and do (default {@link ProjectLimits#DEFAULT}). */
        public Builder projectLimits(ProjectLimits limits) {
            this.projectLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** How often history is expired by age and idle topics are evicted (default 5 s). */
        public Builder sweepInterval(Duration interval) {
            if (interval.toMillis() < 1) {
                throw new IllegalArgumentException("sweepInterval must be at least 1 ms");
            }
            this.sweepInterval = interval;
            return this;
        }

        /** The clock that stamps events (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Keeps history in memory within these limits (default {@link HistoryLimits#DEFAULT}). Throws
         * IllegalArgumentException after {@link #historyStore}: a store keeps its own limits.
         */
        public Builder history(HistoryLimits limits) {
            return chooseHistory(HistoryStore.inMemory(Objects.requireNonNull(limits, "limits")), "history");
        }

        /**
         * Keeps history in this store (a durable one, say) instead of in memory. Throws IllegalArgumentException
         * after {@link #history}: in-memory limits would be silently lost.
         */
        public Builder historyStore(HistoryStore store) {
            return chooseHistory(Objects.requireNonNull(store, "store"), "historyStore");
        }

        private Builder chooseHistory(HistoryStore store, String by) {
            if (historyChosenBy != null && !historyChosenBy.equals(by)) {
                throw new IllegalArgumentException("give history(limits) or historyStore(store), not both");
            }
            historyChosenBy = by;
            this.historyStore = store;
            return this;
        }

        /**
         * Makes this broker one node of a cluster: publishes are positioned by {@code engine} and reach the
         * subscribers of every node; see {@link ClusterEngine}. The broker starts the engine and closes it.
         * Each topic's history on this node must be able to follow the engine's positions (the in-memory store
         * can; see {@link TopicHistory#moveTo}).
         */
        public Builder cluster(ClusterEngine engine) {
            this.cluster = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Threads of the broker's own delivery pool (default: cores, at least 2). */
        public Builder deliveryThreads(int threads) {
            this.deliveryThreads = atLeast(threads, 1, "deliveryThreads");
            return this;
        }

        /** Runs listeners on this executor instead of a pool of the broker's own (which it then does not shut down). */
        public Builder deliveryExecutor(Executor executor) {
            this.deliveryExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Largest payload accepted by publish (default 1 MiB). */
        public Builder maxPayloadBytes(int bytes) {
            this.maxPayloadBytes = atLeast(bytes, 0, "maxPayloadBytes");
            return this;
        }

        /** Longest topic or pattern accepted (default {@value Topics#DEFAULT_MAX_LENGTH}). */
        public Builder maxTopicLength(int chars) {
            this.maxTopicLength = atLeast(chars, 1, "maxTopicLength");
            return this;
        }

        /** Options for subscriptions that do not give their own. */
        public Builder defaultSubscribeOptions(SubscribeOptions options) {
            this.defaultOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** How long {@link Broker#close()} lets subscribers drain (default 5 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Builds the broker. */
        public Broker build() {
            return new Broker(this);
        }

        private static int atLeast(int value, int min, String name) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be >= " + min);
            }
            return value;
        }
    }
}
