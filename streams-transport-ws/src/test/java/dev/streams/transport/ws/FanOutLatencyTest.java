package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.streams.core.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server's own fan-out latency, as {@code /metrics} exports it: one event in 1,024 of a topic is timed from
 * its fan-out to the end of the write pass that hands it to the subscribers' sockets, into a cumulative histogram
 * in microseconds. Timed to the write, not to the hand-over: a pass that write coalescing holds shows in it.
 */
class FanOutLatencyTest extends ServerFixture {
    private static final String NAME = "streams_fanout_latency_microseconds";

    private void publish(String topic, int from, int to) {
        for (int i = from; i <= to; i++) {
            broker.publish("alpha", topic, String.valueOf(i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void readUpTo(TestClient client, int last) {
        readFrom(client, 1, last);
    }

    private static void readFrom(TestClient client, int first, int last) {
        for (int i = first; i <= last; i++) {
            JsonObject frame = client.nextJson();
            assertThat(frame.get("type").getAsString()).isEqualTo("event");
            assertThat(frame.get("text").getAsString()).isEqualTo(String.valueOf(i));
        }
    }

    /** The histogram's cumulative buckets by bound, as {@code /metrics} lists them. */
    private Map<String, Long> buckets() throws Exception {
        Map<String, Long> buckets = new LinkedHashMap<>();
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(NAME + "_bucket{le=\"")) {
                String le = line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
                buckets.put(le, Long.parseLong(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return buckets;
    }

    @Test
    void oneEventIn1024IsTimedToItsWriteAndTheBucketsAddUp() throws Exception {
        start(b -> b.eventLoopThreads(1));
        TestClient client = nativeSubscriber("lat.t");
        assertThat(metric(NAME + "_count")).isZero();
        publish("lat.t", 1, 1023);
        readUpTo(client, 1023);
        assertThat(metric(NAME + "_count")).as("no event before offset 1024 is sampled").isZero();
        publish("lat.t", 1024, 1024);
        Await.until(() -> metric(NAME + "_count") == 1, "offset 1024 timed");
        // Read before the next sample is published: a loop times one sample per write pass (the oldest).
        readFrom(client, 1024, 1024);
        publish("lat.t", 1025, 2048);
        readFrom(client, 1025, 2048);
        Await.until(() -> metric(NAME + "_count") == 2, "offset 2048 timed");
        Map<String, Long> buckets = buckets();
        assertThat(buckets.keySet()).startsWith("50", "100").endsWith("5000000", "+Inf");
        List<Long> cumulative = new ArrayList<>(buckets.values());
        for (int i = 1; i < cumulative.size(); i++) {
            assertThat(cumulative.get(i)).as("cumulative").isGreaterThanOrEqualTo(cumulative.get(i - 1));
        }
        assertThat(buckets.get("+Inf")).isEqualTo(2);
        // A loop that keeps up writes within a second, and the sum is of the two samples.
        assertThat(buckets.get("1000000")).isEqualTo(2);
        assertThat(metric(NAME + "_sum")).isLessThan(2_000_000);
    }

    @Test
    void aPassHeldByWriteCoalescingIsTimedToItsWrite() throws Exception {
        start(b -> b.eventLoopThreads(1).writeCoalescing(Duration.ofSeconds(1)));
        List<TestClient> subscribers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            subscribers.add(nativeSubscriber("held.t"));
        }
        publish("held.t", 1, 1);
        for (TestClient client : subscribers) {
            readUpTo(client, 1);
        }
        // The pass over 20 connections that follows within a second waits for the rest of it; 1024 is in it.
        long before = System.nanoTime();
        publish("held.t", 2, 1024);
        Await.until(() -> metric(NAME + "_count") == 1, "offset 1024 timed");
        long waitedMicros = (System.nanoTime() - before) / 1_000;
        Map<String, Long> buckets = buckets();
        // Held for most of the second (publishing 1,023 events takes some of it, handing them over on a cold loop
        // about a tenth), and not past how long the test itself waited.
        assertThat(buckets.get("500000")).as("timed to the write, not to the hand-over").isZero();
        assertThat(metric(NAME + "_sum")).isBetween(500_000L, waitedMicros);
    }
}
