package dev.streams.transport.ws;

import java.util.Map;

/**
 * One value of the server's metrics, as {@code /metrics} renders it in Prometheus text and as a host reads it
 * to feed its own registry ({@link StreamsServer#metrics()}).
 *
 * @param name    the metric's name, such as {@code streams_connections}
 * @param counter whether it only grows (a counter) rather than going up and down (a gauge)
 * @param help    what it counts
 * @param labels  its labels, such as {@code dialect=golioth} (empty for most)
 * @param value   its value now
 */
public record MetricSample(String name, boolean counter, String help, Map<String, String> labels, long value) {
    /** Copies the labels: a sample is a value. */
    public MetricSample {
        labels = Map.copyOf(labels);
    }
}
