package dev.streams.transport.ws.internal;

import dev.streams.core.Broker;
import dev.streams.core.ProjectStats;
import dev.streams.transport.ws.MetricSample;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Transport counters per dialect, rendered with the broker's totals in Prometheus text format. */
public final class ServerMetrics {
    /** Counters of one dialect. */
    public static final class PerDialect {
        /** Whose counters these are: a session finds its dialect here rather than in a field of its own. */
        public final Dialect dialect;
        public final LongAdder connectionsOpen = new LongAdder();
        public final LongAdder connectionsTotal = new LongAdder();
        public final LongAdder subscriptionsOpen = new LongAdder();
        public final LongAdder published = new LongAdder();
        public final LongAdder dropped = new LongAdder();
        public final LongAdder framesOut = new LongAdder();
        public final LongAdder bytesOut = new LongAdder();
        public final LongAdder slowDisconnects = new LongAdder();
        public final LongAdder errors = new LongAdder();

        PerDialect(Dialect dialect) {
            this.dialect = dialect;
        }
    }

    private final Map<Dialect, PerDialect> dialects = new EnumMap<>(Dialect.class);
    public final LongAdder httpRequests = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    /** HTTP connections closed for not completing a request in time, and WebSockets for not sending their first frame. */
    public final LongAdder requestTimeouts = new LongAdder();
    /** Requests refused for a body over the limit. */
    public final LongAdder oversizeRequests = new LongAdder();
    /** Sessions, subscriptions or publishes refused by a per-project or per-connection limit. */
    public final LongAdder limitRejections = new LongAdder();
    /** Sessions ended because the API key their credential stands on was revoked. */
    public final LongAdder revokedSessions = new LongAdder();
    /** Times a publishing connection went unread because its topic's fan-out was far behind ({@link PublisherPacing}). */
    public final LongAdder publisherStalls = new LongAdder();
    /** Subscriptions made on the event loop because memory answered their replay (no store read, no queue). */
    public final LongAdder replaysFromMemory = new LongAdder();
    /** Subscriptions dropped at their turn for a replay thread because their client had left. */
    public final LongAdder replaysAbandoned = new LongAdder();
    /** History queries refused because their project had too many running and waiting, or the threads were full. */
    public final LongAdder historyQueriesRefused = new LongAdder();

    /** The server's own fan-out latency, timed on the event loops for sampled events. */
    final FanOutLatency fanOutLatency = new FanOutLatency();

    private final OutboundBudget outboundBudget;
    private final ReplayQueue replays;
    private final ConnectionAdmission admission;

    /** The host's own samples, after the server's. */
    private final List<java.util.function.Supplier<? extends java.util.Collection<MetricSample>>> hostSources;

    public ServerMetrics(OutboundBudget outboundBudget, ReplayQueue replays, ConnectionAdmission admission,
                         List<java.util.function.Supplier<? extends java.util.Collection<MetricSample>>> hostSources) {
        this.hostSources = List.copyOf(hostSources);
        this.outboundBudget = outboundBudget;
        this.replays = replays;
        this.admission = admission;
        for (Dialect d : Dialect.values()) {
            dialects.put(d, new PerDialect(d));
        }
    }

    public PerDialect of(Dialect dialect) {
        return dialects.get(dialect);
    }

    /** Every metric's current value, in the order {@code /metrics} lists them. */
    public List<MetricSample> samples(Broker broker) {
        List<MetricSample> out = new ArrayList<>(64);
        perDialect(out, "streams_connections", false, "Open connections.", d -> d.connectionsOpen.sum());
        perDialect(out, "streams_connections_total", true, "Connections accepted.", d -> d.connectionsTotal.sum());
        perDialect(out, "streams_subscriptions", false, "Open subscriptions of WebSocket clients.",
                d -> d.subscriptionsOpen.sum());
        perDialect(out, "streams_published_total", true, "Events published through this dialect.", d -> d.published.sum());
        perDialect(out, "streams_frames_out_total", true, "Frames sent to clients (events delivered and replies).",
                d -> d.framesOut.sum());
        perDialect(out, "streams_dropped_total", true, "Events dropped for this dialect's slow clients.",
                d -> d.dropped.sum());
        perDialect(out, "streams_bytes_out_total", true, "Payload bytes sent to clients.", d -> d.bytesOut.sum());
        perDialect(out, "streams_slow_disconnects_total", true, "Clients closed for not reading.",
                d -> d.slowDisconnects.sum());
        perDialect(out, "streams_errors_total", true, "Requests answered with an error.", d -> d.errors.sum());
        single(out, "streams_http_requests_total", true, "HTTP requests.", httpRequests.sum());
        single(out, "streams_replays_waiting", false,
                "Subscriptions waiting to read the history store for their replay.", replays.waiting());
        single(out, "streams_replays_refused_total", true,
                "Subscriptions refused because too many were waiting to read the history store.", replays.refused.sum());
        single(out, "streams_replays_abandoned_total", true,
                "Subscriptions dropped without a store read because their client left while they waited.",
                replaysAbandoned.sum());
        single(out, "streams_replays_from_memory_total", true,
                "Subscriptions made at once because memory held their replay (no store read).", replaysFromMemory.sum());
        single(out, "streams_history_queries_refused_total", true,
                "History queries refused: their project had too many running and waiting.", historyQueriesRefused.sum());
        single(out, "streams_rejected_connections_total", true, "Connections refused over the limit.",
                rejectedConnections.sum());
        single(out, "streams_connections_unauthenticated", false,
                "Open connections that have not presented a valid credential yet.", admission.unauthenticated());
        single(out, "streams_connections_refused_per_address_total", true,
                "Connections refused because their source address had too many open.", admission.refusedPerAddress.sum());
        single(out, "streams_connections_refused_unauthenticated_total", true,
                "Connections refused because too many without a credential were open.",
                admission.refusedUnauthenticated.sum());
        single(out, "streams_connections_ended_by_rule_total", true,
                "HTTP connections closed after an answer by a keep-alive cap or the authentication timeout.",
                admission.closedByRule.sum());
        single(out, "streams_request_timeouts_total", true,
                "Connections closed for not completing a request (or a WebSocket its first frame) in time.",
                requestTimeouts.sum());
        single(out, "streams_revoked_sessions_total", true,
                "Sessions ended because the API key their credential stands on was revoked.", revokedSessions.sum());
        single(out, "streams_publisher_stalls_total", true,
                "Times a publishing connection went unread while its topic's fan-out was far behind.",
                publisherStalls.sum());
        single(out, "streams_oversize_requests_total", true, "Requests refused for a body over the limit.",
                oversizeRequests.sum());
        single(out, "streams_limit_rejections_total", true,
                "Connections, subscriptions or publishes refused by a per-project or per-connection limit.",
                limitRejections.sum());
        long published = 0;
        long delivered = 0;
        long dropped = 0;
        long slow = 0;
        long topics = 0;
        long subscriptions = 0;
        long repeated = 0;
        for (String project : broker.projects()) {
            ProjectStats s = broker.stats(project);
            published += s.published();
            delivered += s.delivered();
            dropped += s.dropped();
            slow += s.disconnectedSlow();
            topics += s.topics();
            subscriptions += s.subscriptions();
            repeated += s.repeatedPublishes();
        }
        single(out, "streams_broker_published_total", true, "Events published.", published);
        single(out, "streams_broker_delivered_total", true, "Events delivered to subscriptions.", delivered);
        single(out, "streams_broker_dropped_total", true, "Events dropped by slow-consumer policy.", dropped);
        single(out, "streams_broker_slow_disconnects_total", true, "Subscriptions ended as slow.", slow);
        single(out, "streams_broker_repeated_publishes_total", true,
                "Publishes that repeated an idempotency key within its window: answered, not stored again.", repeated);
        single(out, "streams_broker_topics", false, "Topics holding history.", topics);
        single(out, "streams_broker_subscriptions", false, "Broker subscriptions.", subscriptions);
        for (var metric : broker.historyStatus().metrics().entrySet()) {
            single(out, metric.getKey(), metric.getKey().endsWith("_total"),
                    "History store: " + metric.getKey().replace("streams_history_", "").replace('_', ' ') + ".",
                    metric.getValue().longValue());
        }
        for (var metric : broker.clusterStatus().metrics().entrySet()) {
            single(out, metric.getKey(), metric.getKey().endsWith("_total"),
                    "Cluster engine: " + metric.getKey().replace("streams_cluster_", "").replace('_', ' ') + ".",
                    metric.getValue().longValue());
        }
        single(out, "streams_outbound_pending_bytes", false, "Bytes waiting in all clients' outbound buffers.",
                outboundBudget.pendingBytes());
        single(out, "streams_outbound_budget_bytes", false,
                "Outbound bytes all clients together may hold before subscriptions stop pulling.", outboundBudget.limit());
        single(out, "streams_outbound_budget_waits_total", true,
                "Times a session stopped pulling because all clients together held the outbound budget.",
                outboundBudget.waits());
        fanOutLatency.addSamples(out);
        single(out, "streams_jvm_heap_used_bytes", false, "JVM heap in use.",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            ByteBufAllocatorMetric metric = provider.metric();
            single(out, "streams_netty_direct_memory_bytes", false, "Direct memory held by Netty's allocator.",
                    metric.usedDirectMemory());
            single(out, "streams_netty_heap_memory_bytes", false, "Heap memory held by Netty's allocator.",
                    metric.usedHeapMemory());
        }
        for (var source : hostSources) {
            out.addAll(source.get());
        }
        return out;
    }

    /** The samples in Prometheus text format, version 0.0.4. */
    public String render(Broker broker) {
        StringBuilder out = new StringBuilder(4096);
        String last = null;
        for (MetricSample sample : samples(broker)) {
            if (!sample.name().equals(last)) {
                out.append("# HELP ").append(sample.name()).append(' ').append(sample.help()).append('\n');
                out.append("# TYPE ").append(sample.name()).append(' ').append(sample.counter() ? "counter" : "gauge")
                        .append('\n');
                last = sample.name();
            }
            out.append(sample.name());
            if (!sample.labels().isEmpty()) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, String> label : new java.util.TreeMap<>(sample.labels()).entrySet()) {
                    out.append(first ? "" : ",").append(label.getKey()).append("=\"").append(label.getValue()).append('"');
                    first = false;
                }
                out.append('}');
            }
            out.append(' ').append(sample.value()).append('\n');
        }
        return out.toString();
    }

    private interface Read {
        long of(PerDialect d);
    }

    private void perDialect(List<MetricSample> out, String name, boolean counter, String help, Read read) {
        for (Map.Entry<Dialect, PerDialect> e : dialects.entrySet()) {
            out.add(new MetricSample(name, counter, help, Map.of("dialect", e.getKey().label()), read.of(e.getValue())));
        }
    }

    private static void single(List<MetricSample> out, String name, boolean counter, String help, long value) {
        out.add(new MetricSample(name, counter, help, Map.of(), value));
    }
}
