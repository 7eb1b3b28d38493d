package dev.streams.transport.ws.internal;

import dev.streams.core.Broker;
import dev.streams.core.ProjectStats;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.management.ManagementFactory;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Transport counters per dialect, rendered with the broker's totals in Prometheus text format. */
public final class ServerMetrics {
    /** Counters of one dialect. */
    public static final class PerDialect {
        public final LongAdder connectionsOpen = new LongAdder();
        public final LongAdder connectionsTotal = new LongAdder();
        public final LongAdder subscriptionsOpen = new LongAdder();
        public final LongAdder published = new LongAdder();
        public final LongAdder dropped = new LongAdder();
        public final LongAdder framesOut = new LongAdder();
        public final LongAdder bytesOut = new LongAdder();
        public final LongAdder slowDisconnects = new LongAdder();
        public final LongAdder errors = new LongAdder();
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

    public ServerMetrics() {
        for (Dialect d : Dialect.values()) {
            dialects.put(d, new PerDialect());
        }
    }

    public PerDialect of(Dialect dialect) {
        return dialects.get(dialect);
    }

    /** Moves a channel's place in the open-connections gauge from its current dialect to {@code to}. */
    public void switchDialect(io.netty.channel.Channel channel, Dialect to) {
        Dialect from = channel.attr(Dialect.KEY).getAndSet(to);
        if (from != null && from != to) {
            of(from).connectionsOpen.decrement();
            of(to).connectionsOpen.increment();
            of(to).connectionsTotal.increment();
        }
    }

    public String render(Broker broker) {
        StringBuilder out = new StringBuilder(2048);
        perDialect(out, "streams_connections", "gauge", "Open connections.", d -> d.connectionsOpen.sum());
        perDialect(out, "streams_connections_total", "counter", "Connections accepted.", d -> d.connectionsTotal.sum());
        perDialect(out, "streams_subscriptions", "gauge", "Open subscriptions of WebSocket clients.",
                d -> d.subscriptionsOpen.sum());
        perDialect(out, "streams_published_total", "counter", "Events published through this dialect.",
                d -> d.published.sum());
        perDialect(out, "streams_frames_out_total", "counter", "Frames sent to clients (events delivered and replies).",
                d -> d.framesOut.sum());
        perDialect(out, "streams_dropped_total", "counter", "Events dropped for this dialect's slow clients.",
                d -> d.dropped.sum());
        perDialect(out, "streams_bytes_out_total", "counter", "Payload bytes sent to clients.", d -> d.bytesOut.sum());
        perDialect(out, "streams_slow_disconnects_total", "counter", "Clients closed for not reading.",
                d -> d.slowDisconnects.sum());
        perDialect(out, "streams_errors_total", "counter", "Requests answered with an error.", d -> d.errors.sum());
        single(out, "streams_http_requests_total", "counter", "HTTP requests.", httpRequests.sum());
        single(out, "streams_rejected_connections_total", "counter", "Connections refused over the limit.",
                rejectedConnections.sum());
        single(out, "streams_request_timeouts_total", "counter",
                "Connections closed for not completing a request (or a WebSocket its first frame) in time.",
                requestTimeouts.sum());
        single(out, "streams_oversize_requests_total", "counter", "Requests refused for a body over the limit.",
                oversizeRequests.sum());
        single(out, "streams_limit_rejections_total", "counter",
                "Connections, subscriptions or publishes refused by a per-project or per-connection limit.",
                limitRejections.sum());
        long published = 0;
        long delivered = 0;
        long dropped = 0;
        long slow = 0;
        long topics = 0;
        long subscriptions = 0;
        for (String project : broker.projects()) {
            ProjectStats s = broker.stats(project);
            published += s.published();
            delivered += s.delivered();
            dropped += s.dropped();
            slow += s.disconnectedSlow();
            topics += s.topics();
            subscriptions += s.subscriptions();
        }
        single(out, "streams_broker_published_total", "counter", "Events published.", published);
        single(out, "streams_broker_delivered_total", "counter", "Events delivered to subscriptions.", delivered);
        single(out, "streams_broker_dropped_total", "counter", "Events dropped by slow-consumer policy.", dropped);
        single(out, "streams_broker_slow_disconnects_total", "counter", "Subscriptions ended as slow.", slow);
        single(out, "streams_broker_topics", "gauge", "Topics holding history.", topics);
        single(out, "streams_broker_subscriptions", "gauge", "Broker subscriptions.", subscriptions);
        for (var metric : broker.historyStatus().metrics().entrySet()) {
            single(out, metric.getKey(), metric.getKey().endsWith("_total") ? "counter" : "gauge",
                    "History store: " + metric.getKey().replace("streams_history_", "").replace('_', ' ') + ".",
                    metric.getValue().longValue());
        }
        single(out, "streams_jvm_heap_used_bytes", "gauge", "JVM heap in use.",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            ByteBufAllocatorMetric metric = provider.metric();
            single(out, "streams_netty_direct_memory_bytes", "gauge", "Direct memory held by Netty's allocator.",
                    metric.usedDirectMemory());
            single(out, "streams_netty_heap_memory_bytes", "gauge", "Heap memory held by Netty's allocator.",
                    metric.usedHeapMemory());
        }
        return out.toString();
    }

    private interface Read {
        long of(PerDialect d);
    }

    private void perDialect(StringBuilder out, String name, String type, String help, Read read) {
        header(out, name, type, help);
        for (Map.Entry<Dialect, PerDialect> e : dialects.entrySet()) {
            out.append(name).append("{dialect=\"").append(e.getKey().label()).append("\"} ")
                    .append(read.of(e.getValue())).append('\n');
        }
    }

    private static void single(StringBuilder out, String name, String type, String help, long value) {
        header(out, name, type, help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
