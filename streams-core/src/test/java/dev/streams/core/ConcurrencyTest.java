package dev.streams.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Many threads at once: ordering, no loss inside bounds, no duplicates, and isolation from stalled subscribers. */
class ConcurrencyTest {
    private final Broker broker = Broker.builder().history(new HistoryLimits(100_000, 1L << 30, Duration.ofHours(1)))
            .build();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        broker.close();
    }

    private static byte[] payload(int publisher, int sequence) {
        return ByteBuffer.allocate(8).putInt(publisher).putInt(sequence).array();
    }

    /** Checks per topic: offsets strictly increase by one (nothing lost, nothing twice). */
    private static void assertCompleteAndOrdered(List<Event> events, int expectedPerTopic, int topics) {
        Map<String, Long> lastOffset = new HashMap<>();
        for (Event e : events) {
            long previous = lastOffset.getOrDefault(e.topic(), 0L);
            assertThat(e.offset()).as("offset after %d on %s", previous, e.topic()).isEqualTo(previous + 1);
            lastOffset.put(e.topic(), e.offset());
        }
        assertThat(lastOffset).hasSize(topics);
        assertThat(lastOffset.values()).allMatch(last -> last == expectedPerTopic);
    }

    @Test
    void manyPublishersAndSubscribersSeeEveryEventOnceInOrder() throws Exception {
        int publishers = 8;
        int perPublisher = 5_000;
        int topics = 4;
        int total = publishers * perPublisher;
        SubscribeOptions roomy = SubscribeOptions.builder().maxQueuedEvents(total).maxQueuedBytes(1L << 30).build();
        List<Recorder> subscribers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Recorder r = new Recorder();
            broker.subscribe("p", i % 2 == 0 ? "load.>" : "load.*", StartPosition.latest(), roomy, r);
            subscribers.add(r);
        }
        List<Recorder> exact = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            Recorder r = new Recorder();
            broker.subscribe("p", "load." + t, StartPosition.latest(), roomy, r);
            exact.add(r);
        }
        CyclicBarrier start = new CyclicBarrier(publishers);
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int publisher = p;
            done.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < perPublisher; i++) {
                    broker.publish("p", "load." + (i % topics), payload(publisher, i));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        for (Recorder r : subscribers) {
            r.awaitEvents(total);
            assertCompleteAndOrdered(r.events, total / topics, topics);
            assertThat(r.gaps).isEmpty();
        }
        for (Recorder r : exact) {
            r.awaitEvents(total / topics);
            assertCompleteAndOrdered(r.events, total / topics, 1);
        }
        // Each publisher's own events keep their order too, across the subscriber's merged view.
        Map<Integer, Integer> lastSeq = new HashMap<>();
        for (Event e : subscribers.get(0).events) {
            if (e.topic().equals("load.0")) {
                ByteBuffer b = e.payloadBuffer();
                int publisher = b.getInt();
                int seq = b.getInt();
                assertThat(seq).isGreaterThan(lastSeq.getOrDefault(publisher, -1));
                lastSeq.put(publisher, seq);
            }
        }
        ProjectStats stats = broker.stats("p");
        assertThat(stats.published()).isEqualTo(total);
        assertThat(stats.dropped()).isZero();
    }

    @RepeatedTest(5)
    void replayingPatternSubscriptionsMeetLivePublishesWithoutGapOrDuplicate() throws Exception {
        int topics = 8;
        int perTopic = 3_000;
        SubscribeOptions roomy = SubscribeOptions.builder().maxQueuedEvents(1 << 20).maxQueuedBytes(1L << 30).build();
        CountDownLatch started = new CountDownLatch(1);
        List<Future<?>> publishers = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            String topic = "replay." + t;
            publishers.add(threads.submit(() -> {
                for (int i = 0; i < perTopic; i++) {
                    broker.publish("p", topic, payload(0, i));
                    if (i == perTopic / 3) {
                        started.countDown();
                    }
                }
                return null;
            }));
        }
        started.await();
        // Subscribe while publishers run: history (from offset 0) and live events must join seamlessly.
        List<Recorder> subscribers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Recorder r = new Recorder();
            broker.subscribe("p", "replay.*", StartPosition.last(Integer.MAX_VALUE), roomy, r);
            subscribers.add(r);
        }
        for (Future<?> f : publishers) {
            f.get(60, TimeUnit.SECONDS);
        }
        // A marker after every publisher finished: once each subscriber has it, a duplicate would have come first.
        broker.publish("p", "replay.marker", "end".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (Recorder r : subscribers) {
            Recorder.await(() -> r.events.stream().anyMatch(e -> e.topic().equals("replay.marker")), "the marker");
            r.events.removeIf(e -> e.topic().equals("replay.marker"));
            assertThat(r.events).hasSize(topics * perTopic);
            assertCompleteAndOrdered(r.events, perTopic, topics);
        }
    }

    @Test
    void aStalledSubscriberNeitherBlocksPublishersNorDelaysOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recorder stalled = stalledUntil(release);
        SubscribeOptions small = SubscribeOptions.builder().maxQueuedEvents(100).build();
        broker.subscribe("p", "t", StartPosition.latest(), small, stalled);
        Recorder healthy = new Recorder();
        broker.subscribe("p", "t", StartPosition.latest(),
                SubscribeOptions.builder().maxQueuedEvents(20_000).build(), healthy);

        Future<?> publisher = threads.submit(() -> {
            for (int i = 0; i < 10_000; i++) {
                broker.publish("p", "t", payload(0, i));
            }
        });
        publisher.get(30, TimeUnit.SECONDS);
        healthy.awaitEvents(10_000);
        assertCompleteAndOrdered(healthy.events, 10_000, 1);

        release.countDown();
        Recorder.await(() -> !stalled.gaps.isEmpty(), "the stalled subscriber is told what it missed");
        Recorder.await(() -> stalled.events.size() + missed(stalled) == 10_000, "delivered + missed adds up");
        assertThat(stalled.gaps).allMatch(g -> g.cause() == Gap.Cause.QUEUE_OVERFLOW);
        assertThat(broker.stats("p").dropped()).isEqualTo(missed(stalled));
        // What it did receive is still in order and never twice.
        long previous = 0;
        for (Event e : stalled.events) {
            assertThat(e.offset()).isGreaterThan(previous);
            previous = e.offset();
        }
    }

    /** A subscriber whose listener blocks until {@code release} opens, then records as usual. */
    private static Recorder stalledUntil(CountDownLatch release) {
        return new Recorder() {
            @Override
            public void onEvent(Event event) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onEvent(event);
            }
        };
    }

    private static long missed(Recorder r) {
        return r.gaps.stream().mapToLong(Gap::missed).sum();
    }

    @Test
    void disconnectPolicyEndsOnlyTheSlowSubscriber() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recorder slow = stalledUntil(release);
        Subscription slowSub = broker.subscribe("p", "t", StartPosition.latest(),
                SubscribeOptions.builder().maxQueuedEvents(10).overflowPolicy(OverflowPolicy.DISCONNECT).build(), slow);
        Recorder healthy = new Recorder();
        broker.subscribe("p", "t", StartPosition.latest(), healthy);
        for (int i = 0; i < 500; i++) {
            broker.publish("p", "t", payload(0, i));
        }
        assertThat(slowSub.isActive()).isFalse();
        release.countDown();
        assertThat(slow.awaitClose().closes).containsExactly(CloseReason.SLOW_CONSUMER);
        assertThat(healthy.awaitEvents(500).events).hasSize(500);
        assertThat(broker.stats("p").disconnectedSlow()).isEqualTo(1);
        assertThat(broker.stats("p").subscriptions()).isEqualTo(1);
    }

    @Test
    void byteBoundAppliesAsWellAsCountBound() {
        CountDownLatch release = new CountDownLatch(1);
        Recorder stalled = stalledUntil(release);
        Subscription sub = broker.subscribe("p", "big", StartPosition.latest(),
                SubscribeOptions.builder().maxQueuedEvents(1000).maxQueuedBytes(10_000).build(), stalled);
        for (int i = 0; i < 50; i++) {
            broker.publish("p", "big", new byte[1000]);
        }
        // 1102 bytes are charged per event, so at most 9 fit in 10,000 bytes whatever the count bound says.
        assertThat(sub.queuedEvents()).isLessThanOrEqualTo(9);
        assertThat(sub.droppedCount()).isPositive();
        release.countDown();
        // Nothing is lost silently: every event was either delivered or counted as dropped.
        Recorder.await(() -> stalled.events.size() + sub.droppedCount() == 50, "delivered + dropped == published");
        assertThat(stalled.gaps.stream().mapToLong(Gap::missed).sum()).isEqualTo(sub.droppedCount());
    }

    @Test
    void dropsInterleavedAcrossTopicsAreReportedPerTopicAndAddUp() {
        CountDownLatch release = new CountDownLatch(1);
        Recorder stalled = stalledUntil(release);
        Subscription sub = broker.subscribe("p", "mix.*", StartPosition.latest(),
                SubscribeOptions.builder().maxQueuedEvents(10).build(), stalled);
        for (int i = 0; i < 300; i++) {
            broker.publish("p", i % 3 == 0 ? "mix.a" : "mix.b", payload(0, i));
        }
        release.countDown();
        Recorder.await(() -> stalled.events.size() + sub.droppedCount() == 300, "delivered + dropped == published");
        Recorder.await(() -> stalled.gaps.stream().mapToLong(Gap::missed).sum() == sub.droppedCount(), "gaps told");
        Map<String, Long> gapsPerTopic = new HashMap<>();
        stalled.gaps.forEach(g -> gapsPerTopic.merge(g.topic(), g.missed(), Long::sum));
        Map<String, Long> deliveredPerTopic = new HashMap<>();
        stalled.events.forEach(e -> deliveredPerTopic.merge(e.topic(), 1L, Long::sum));
        assertThat(gapsPerTopic.getOrDefault("mix.a", 0L) + deliveredPerTopic.getOrDefault("mix.a", 0L)).isEqualTo(100);
        assertThat(gapsPerTopic.getOrDefault("mix.b", 0L) + deliveredPerTopic.getOrDefault("mix.b", 0L)).isEqualTo(200);
        assertThat(broker.stats("p").dropped()).isEqualTo(sub.droppedCount());
        Map<String, Long> last = new HashMap<>();
        for (Event e : stalled.events) {
            assertThat(e.offset()).isGreaterThan(last.getOrDefault(e.topic(), 0L));
            last.put(e.topic(), e.offset());
        }
    }

    @Test
    void subscribeAndCancelRacingPublishersLeaveNoSubscriptionBehind() throws Exception {
        Future<?> publisher = threads.submit(() -> {
            for (int i = 0; i < 20_000; i++) {
                broker.publish("p", "churn." + (i % 16), payload(0, i));
            }
        });
        List<Future<?>> churners = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int id = c;
            churners.add(threads.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    String pattern = (i + id) % 2 == 0 ? "churn.*" : "churn." + (i % 16);
                    Subscription s = broker.subscribe("p", pattern, StartPosition.last(5), new Recorder());
                    s.cancel();
                }
            }));
        }
        publisher.get(60, TimeUnit.SECONDS);
        for (Future<?> f : churners) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(broker.stats("p").subscriptions()).isZero();
    }
}
