package dev.streams.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Streams server's own fan-out latency ({@code streams_fanout_latency_microseconds}, cumulative buckets from
 * {@code /metrics}): from an event's fan-out to the end of the write pass that hands it to the sockets, for one
 * event in 1,024 per topic and event loop. Unlike the subscribers' latency it does not include the time a busy
 * client takes to read, so it compares two server builds where the load tool's own cores are full.
 */
record FanOutHistogram(List<Double> bounds, long[] cumulative) {
    private static final String BUCKET = "streams_fanout_latency_microseconds_bucket{le=\"";

    /** The histogram in a {@code /metrics} body; null when the server exports none. */
    static FanOutHistogram parse(String metrics) {
        List<Double> bounds = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (String line : metrics.split("\\n")) {
            if (line.startsWith(BUCKET)) {
                String le = line.substring(BUCKET.length(), line.indexOf('"', BUCKET.length()));
                bounds.add(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le));
                counts.add(Long.parseLong(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return bounds.isEmpty() ? null : new FanOutHistogram(bounds, counts.stream().mapToLong(Long::longValue).toArray());
    }

    /** What was recorded since {@code earlier}. */
    FanOutHistogram minus(FanOutHistogram earlier) {
        long[] delta = cumulative.clone();
        for (int i = 0; i < delta.length && i < earlier.cumulative.length; i++) {
            delta[i] -= earlier.cumulative[i];
        }
        return new FanOutHistogram(bounds, delta);
    }

    /**
     * The {@code q} quantile in microseconds, interpolated within its bucket as Prometheus'
     * {@code histogram_quantile} does; the last finite bound when it falls above every bound; NaN without samples.
     */
    double quantile(double q) {
        long total = cumulative[cumulative.length - 1];
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        for (int i = 0; i < cumulative.length; i++) {
            if (cumulative[i] >= rank) {
                if (Double.isInfinite(bounds.get(i))) {
                    return bounds.get(i - 1);
                }
                double lower = i == 0 ? 0 : bounds.get(i - 1);
                long below = i == 0 ? 0 : cumulative[i - 1];
                long within = cumulative[i] - below;
                return lower + (bounds.get(i) - lower) * (within == 0 ? 1 : (rank - below) / within);
            }
        }
        return bounds.get(bounds.size() - 2);
    }

    /** {@code " fanout_p50_us=… fanout_p99_us=… fanout_samples=…"} for the cost line. */
    String summary() {
        return String.format(Locale.ROOT, " fanout_p50_us=%.0f fanout_p99_us=%.0f fanout_samples=%d", quantile(0.5),
                quantile(0.99), cumulative[cumulative.length - 1]);
    }
}
