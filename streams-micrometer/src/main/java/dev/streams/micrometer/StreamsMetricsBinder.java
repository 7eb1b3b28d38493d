package dev.streams.micrometer;

import dev.streams.transport.ws.MetricSample;
import dev.streams.transport.ws.StreamsServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Binds a {@link StreamsServer}'s metrics (the ones {@code /metrics} renders) to a Micrometer registry: counters
 * as {@link FunctionCounter}s, gauges as {@link Gauge}s, labels as tags, under the Prometheus names in
 * Micrometer's dotted form without the {@code _total} suffix ({@code streams_http_requests_total} becomes
 * {@code streams.http.requests}; {@code streams_connections_total}, whose stem is the open-connections gauge,
 * becomes {@code streams.connections.accepted}). Meters read one snapshot of the server's metrics, taken at most once per {@code maxAge}, so a
 * scrape of many meters costs one snapshot.
 *
 * <pre>{@code
 * new StreamsMetricsBinder(server).bindTo(registry);
 * }</pre>
 */
public final class StreamsMetricsBinder implements MeterBinder {
    private final StreamsServer server;
    private final long maxAgeNanos;
    private Map<String, Long> snapshot = Map.of();
    private long takenAt;

    /** A binder that refreshes its snapshot at most once a second. */
    public StreamsMetricsBinder(StreamsServer server) {
        this(server, Duration.ofSeconds(1));
    }

    /** A binder that refreshes its snapshot at most once per {@code maxAge}. */
    public StreamsMetricsBinder(StreamsServer server, Duration maxAge) {
        this.server = Objects.requireNonNull(server, "server");
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** Registers a meter for every metric the server has now (new projects add no meters: totals are per server). */
    @Override
    public void bindTo(MeterRegistry registry) {
        List<MetricSample> samples = server.metrics();
        java.util.Set<String> gauges = new java.util.HashSet<>();
        samples.stream().filter(s -> !s.counter()).forEach(s -> gauges.add(s.name()));
        for (MetricSample sample : samples) {
            String key = key(sample);
            String name = sample.name();
            if (sample.counter() && name.endsWith("_total")) {
                // Micrometer adds the unit suffix itself; a counter whose stem is also a gauge's name
                // (connections open vs connections accepted) keeps its own name.
                String stem = name.substring(0, name.length() - "_total".length());
                name = gauges.contains(stem) ? stem + "_accepted" : stem;
            }
            String dotted = name.replace('_', '.');
            Tags tags = Tags.empty();
            for (Map.Entry<String, String> label : sample.labels().entrySet()) {
                tags = tags.and(label.getKey(), label.getValue());
            }
            if (sample.counter()) {
                // Micrometer holds the measured object weakly: that is the server, which the host keeps.
                FunctionCounter.builder(dotted, server, s -> valueOf(key)).description(sample.help()).tags(tags)
                        .register(registry);
            } else {
                Gauge.builder(dotted, server, s -> valueOf(key)).description(sample.help()).tags(tags)
                        .register(registry);
            }
        }
    }

    private static String key(MetricSample sample) {
        return sample.name() + new java.util.TreeMap<>(sample.labels());
    }

    private synchronized double valueOf(String key) {
        long now = System.nanoTime();
        if (snapshot.isEmpty() || now - takenAt > maxAgeNanos) {
            List<MetricSample> samples = server.metrics();
            Map<String, Long> fresh = new HashMap<>(samples.size() * 2);
            for (MetricSample s : samples) {
                fresh.put(key(s), s.value());
            }
            snapshot = fresh;
            takenAt = now;
        }
        Long value = snapshot.get(key);
        return value == null ? Double.NaN : value;
    }
}
