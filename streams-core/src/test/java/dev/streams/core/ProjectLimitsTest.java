package dev.streams.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-project limits, idle-topic eviction, and resumes that must not lose events silently. */
class ProjectLimitsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Broker> brokers = new ArrayList<>();

    private Broker broker(ProjectLimits limits, HistoryLimits history) {
        Broker broker = Broker.builder().clock(clock).projectLimits(limits).history(history)
                .sweepInterval(Duration.ofHours(1)).build();
        brokers.add(broker);
        return broker;
    }

    @AfterEach
    void close() {
        brokers.forEach(Broker::close);
    }

    private static void publish(Broker broker, String topic) {
        broker.publish("p", topic, "x".getBytes(UTF_8));
    }

    @Test
    void topicsOverTheLimitAreRefusedUntilIdleOnesAreEvicted() {
        Broker broker = broker(ProjectLimits.DEFAULT.withMaxTopics(3),
                new HistoryLimits(10, 1 << 20, Duration.ofMillis(50)));
        publish(broker, "a");
        publish(broker, "b");
        publish(broker, "c");
        assertThatThrownBy(() -> publish(broker, "d")).isInstanceOfSatisfying(StreamsException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.LIMIT_EXCEEDED));
        assertThat(broker.stats("p").limitRejections()).isEqualTo(1);
        clock.advance(Duration.ofMillis(100));
        broker.sweep();
        assertThat(broker.stats("p").topicsEvicted()).isEqualTo(3);
        publish(broker, "d");
        assertThat(broker.stats("p").topics()).isEqualTo(1);
    }

    @Test
    void manyShortLivedTopicsDoNotStayInMemory() {
        Broker broker = broker(ProjectLimits.DEFAULT, new HistoryLimits(10, 1 << 20, Duration.ofMillis(50)));
        for (int i = 0; i < 20_000; i++) {
            publish(broker, "t" + i);
        }
        clock.advance(Duration.ofMillis(100));
        broker.sweep();
        assertThat(broker.stats("p").topicsEvicted()).isEqualTo(20_000);
        assertThat(broker.stats("p").historyBytes()).isZero();
    }

    @Test
    void aTopicWithASubscriberIsNotEvicted() {
        Broker broker = broker(ProjectLimits.DEFAULT, new HistoryLimits(10, 1 << 20, Duration.ofMillis(50)));
        Recorder recorder = new Recorder();
        broker.subscribe("p", "kept", StartPosition.latest(), recorder);
        publish(broker, "kept");
        clock.advance(Duration.ofMillis(100));
        broker.sweep();
        assertThat(broker.stats("p").topicsEvicted()).isZero();
        publish(broker, "kept");
        recorder.awaitEvents(2);
        assertThat(recorder.events.get(1).offset()).isEqualTo(2);
    }

    @Test
    void subscriptionsOverTheLimitAreRefused() {
        Broker broker = broker(ProjectLimits.DEFAULT.withMaxSubscriptions(2), HistoryLimits.DEFAULT);
        broker.subscribe("p", "a", StartPosition.latest(), new Recorder());
        Subscription second = broker.subscribe("p", "b.*", StartPosition.latest(), new Recorder());
        assertThatThrownBy(() -> broker.subscribe("p", "c", StartPosition.latest(), new Recorder()))
                .isInstanceOfSatisfying(StreamsException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.LIMIT_EXCEEDED));
        second.cancel();
        Recorder.await(() -> broker.stats("p").subscriptions() == 1, "cancel frees a place");
        broker.subscribe("p", "c", StartPosition.latest(), new Recorder());
        broker.subscribe("other", "c", StartPosition.latest(), new Recorder());
    }

    @Test
    void publishesOverTheRateAreRefused() {
        Broker broker = broker(ProjectLimits.DEFAULT.withMaxPublishRate(100), HistoryLimits.DEFAULT);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 1000; i++) {
            try {
                publish(broker, "t");
                accepted++;
            } catch (StreamsException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.LIMIT_EXCEEDED);
                refused++;
            }
        }
        // One second's burst, plus whatever the rate refilled while the loop ran.
        assertThat(accepted).isBetween(100, 200);
        assertThat(refused).isEqualTo(1000 - accepted);
    }

    @Test
    void theHistoryBudgetShedsTheTopicsOwnOldestEventsAndReportsThemOnResume() {
        Event first = null;
        Broker broker = broker(ProjectLimits.DEFAULT.withMaxHistoryBytes(10 * 300), HistoryLimits.DEFAULT);
        byte[] payload = new byte[200];
        for (int i = 0; i < 50; i++) {
            Event e = broker.publish("p", "big", payload);
            first = first == null ? e : first;
        }
        assertThat(broker.stats("p").historyBytes()).isLessThanOrEqualTo(10 * 300);
        Recorder recorder = new Recorder();
        broker.subscribe("p", "big", StartPosition.after(first.position()), recorder);
        Recorder.await(() -> !recorder.gaps.isEmpty(), "a gap");
        assertThat(recorder.gaps.get(0).cause()).isEqualTo(Gap.Cause.HISTORY_EXPIRED);
        long retained = recorder.awaitEvents(1).events.size();
        Recorder.await(() -> recorder.gaps.get(0).missed() + recorder.events.size() == 49, "gap + events = 49, got "
                + recorder.gaps.get(0).missed() + " + " + recorder.events.size() + " from " + retained);
        // Another topic cannot take the budget that "big" holds: it sheds its own history, then is refused.
        assertThatThrownBy(() -> broker.publish("p", "other", new byte[4000]))
                .isInstanceOfSatisfying(StreamsException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.LIMIT_EXCEEDED));
    }

    @Test
    void aPatternResumeOfATopicUnusedSinceARestartReportsTheEpochChange() {
        Broker before = broker(ProjectLimits.DEFAULT, HistoryLimits.DEFAULT);
        Event seen = before.publish("p", "rooms.a", "1".getBytes(UTF_8));
        before.close();
        Broker after = broker(ProjectLimits.DEFAULT, HistoryLimits.DEFAULT);
        Recorder recorder = new Recorder();
        after.subscribe("p", "rooms.*", StartPosition.resume(Map.of("rooms.a", seen.position()), StartPosition.latest()),
                recorder);
        Recorder.await(() -> !recorder.gaps.isEmpty(), "an EPOCH_CHANGED gap");
        Gap gap = recorder.gaps.get(0);
        assertThat(gap.topic()).isEqualTo("rooms.a");
        assertThat(gap.cause()).isEqualTo(Gap.Cause.EPOCH_CHANGED);
        Event next = after.publish("p", "rooms.a", "2".getBytes(UTF_8));
        recorder.awaitEvents(1);
        assertThat(gap.epoch()).isEqualTo(next.epoch());
    }

    @Test
    void evictionRacingWithPublishersLosesNothing() throws Exception {
        Broker broker = broker(ProjectLimits.UNLIMITED, new HistoryLimits(4, 1 << 20, Duration.ZERO));
        Recorder recorder = new Recorder();
        broker.subscribe("p", "t.*", StartPosition.latest(),
                SubscribeOptions.builder().maxQueuedEvents(100_000).maxQueuedBytes(1L << 30).build(), recorder);
        int threads = 4;
        int perThread = 5_000;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger sweeps = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String topic = "t." + t;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    broker.publish("p", topic, Integer.toString(i).getBytes(UTF_8));
                    clock.advance(Duration.ofNanos(1));
                }
            });
            workers.add(w);
            w.start();
        }
        Thread sweeper = new Thread(() -> {
            while (workers.stream().anyMatch(Thread::isAlive)) {
                broker.sweep();
                sweeps.incrementAndGet();
            }
        });
        sweeper.start();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        sweeper.join();
        recorder.awaitEvents(threads * perThread);
        assertThat(recorder.gaps).isEmpty();
        assertThat(recorder.closes).isEmpty();
        assertThat(sweeps.get()).isPositive();
        Map<String, Integer> next = new java.util.HashMap<>();
        for (Event e : recorder.events) {
            int expected = next.getOrDefault(e.topic(), 0);
            assertThat(Integer.parseInt(e.payloadAsString())).as(e.topic()).isEqualTo(expected);
            next.put(e.topic(), expected + 1);
        }
    }
}
