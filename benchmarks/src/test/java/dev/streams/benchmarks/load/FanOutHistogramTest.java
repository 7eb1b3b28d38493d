package dev.streams.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The server's fan-out latency as the load tool reads it: a window's buckets, and quantiles within them. */
class FanOutHistogramTest {
    private static String metrics(long... cumulative) {
        String[] bounds = {"100", "1000", "10000", "+Inf"};
        StringBuilder out = new StringBuilder("streams_other_total 5\n");
        for (int i = 0; i < bounds.length; i++) {
            out.append("streams_fanout_latency_microseconds_bucket{le=\"").append(bounds[i]).append("\"} ")
                    .append(cumulative[i]).append('\n');
        }
        return out.append("streams_fanout_latency_microseconds_count ").append(cumulative[3]).append('\n').toString();
    }

    @Test
    void aWindowsQuantilesAreInterpolatedWithinItsBuckets() {
        FanOutHistogram before = FanOutHistogram.parse(metrics(10, 10, 10, 10));
        FanOutHistogram after = FanOutHistogram.parse(metrics(10, 60, 110, 110));
        FanOutHistogram window = after.minus(before);
        // 50 samples in (100, 1000] and 50 in (1000, 10000]: the median is the first bucket's top.
        assertThat(window.quantile(0.5)).isCloseTo(1000, within(1e-9));
        assertThat(window.quantile(0.25)).isCloseTo(550, within(1e-9));
        assertThat(window.quantile(0.99)).isCloseTo(1000 + 9000 * 0.98, within(1e-6));
        assertThat(window.summary()).isEqualTo(" fanout_p50_us=1000 fanout_p99_us=9820 fanout_samples=100");
    }

    @Test
    void aQuantileAboveEveryBoundIsTheLastBoundAndAnEmptyWindowHasNone() {
        FanOutHistogram slow = FanOutHistogram.parse(metrics(0, 0, 0, 4));
        assertThat(slow.quantile(0.5)).isEqualTo(10000);
        assertThat(FanOutHistogram.parse(metrics(3, 3, 3, 3)).minus(FanOutHistogram.parse(metrics(3, 3, 3, 3)))
                .quantile(0.5)).isNaN();
        assertThat(FanOutHistogram.parse("streams_other_total 5\n")).as("a server without it").isNull();
    }
}
