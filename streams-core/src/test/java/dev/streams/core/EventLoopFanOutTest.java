package dev.streams.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions on event loops ({@link SubscribeOptions.Builder#eventLoop}) get each event through one hand-off
 * per loop: from many threads at once they still see every event once, in order, beside subscriptions on the
 * broker's pool, with replays, pattern activation, demand and the overflow policies as before.
 */
class EventLoopFanOutTest {
    private final Broker broker = Broker.builder().history(new HistoryLimits(100_000, 1L << 30, Duration.ofHours(1)))
            .projectLimits(ProjectLimits.UNLIMITED).build();
    private final ExecutorService[] loops = {Executors.newSingleThreadExecutor(), Executors.newSingleThreadExecutor()};
    private final ExecutorService publishers = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        publishers.shutdownNow();
        broker.close();
        for (ExecutorService loop : loops) {
            loop.shutdownNow();
        }
    }

    private SubscribeOptions onLoop(int i, int queued) {
        return SubscribeOptions.builder().maxQueuedEvents(queued).maxQueuedBytes(1L << 30).eventLoop(loops[i % 2]).build();
    }

    /** Per topic: offsets rise by one from {@code first} (nothing lost, nothing twice), to {@code last}. */
    private static void assertCompleteAndOrdered(List<Event> events, Map<String, Long> first, long last) {
        Map<String, Long> previous = new HashMap<>();
        for (Event e : events) {
            long expected = previous.containsKey(e.topic()) ? previous.get(e.topic()) + 1 : first.getOrDefault(e.topic(), 1L);
            assertThat(e.offset()).as("offset on %s", e.topic()).isEqualTo(expected);
            previous.put(e.topic(), e.offset());
        }
        assertThat(previous.values()).allMatch(offset -> offset == last);
    }

    @RepeatedTest(3)
    void manyPublishersReachLoopAndPoolSubscribersOnceInOrder() throws Exception {
        int threads = 6;
        int perThread = 3_000;
        int topics = 3;
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Recorder r = new Recorder();
            String pattern = i % 3 == 0 ? "load.>" : i % 3 == 1 ? "load.*" : "load.t" + (i % topics);
            SubscribeOptions options = i < 8 ? onLoop(i, 1_000_000) : SubscribeOptions.builder().maxQueuedEvents(1_000_000).build();
            broker.subscribe("p", pattern, StartPosition.latest(), options, r);
            recorders.add(r);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            running.add(publishers.submit(() -> {
                go.await();
                for (int n = 0; n < perThread; n++) {
                    broker.publish("p", "load.t" + (n % topics), ByteBuffer.allocate(8).putInt(thread).putInt(n).array());
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : running) {
            f.get(30, TimeUnit.SECONDS);
        }
        long perTopic = threads * perThread / topics;
        for (int i = 0; i < recorders.size(); i++) {
            Recorder r = recorders.get(i);
            long expected = i % 3 == 2 ? perTopic : perTopic * topics;
            Await.until(() -> r.events.size() >= expected, "subscriber " + i + " has every event");
            assertThat(r.events).hasSize((int) expected);
            assertCompleteAndOrdered(r.events, Map.of(), perTopic);
            assertThat(r.gaps).isEmpty();
        }
    }

    @Test
    void aReplayThenLiveEventsArriveInOrderWhilePublishersRun() throws Exception {
        for (int n = 1; n <= 500; n++) {
            broker.publish("p", "replay.t", Integer.toString(n).getBytes());
        }
        AtomicInteger published = new AtomicInteger(500);
        Future<?> publisher = publishers.submit(() -> {
            for (int n = 0; n < 5_000; n++) {
                broker.publish("p", "replay.t", Integer.toString(published.incrementAndGet()).getBytes());
            }
            return null;
        });
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Recorder r = new Recorder();
            StartPosition start = StartPosition.after(new Position(broker.latestPosition("p", "replay.t").orElseThrow().epoch(), 100 * i));
            broker.subscribe("p", i % 2 == 0 ? "replay.t" : "replay.*", start, onLoop(i, 1_000_000), r);
            recorders.add(r);
        }
        publisher.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < recorders.size(); i++) {
            Recorder r = recorders.get(i);
            long first = 100L * i + 1;
            Await.until(() -> !r.events.isEmpty() && r.events.get(r.events.size() - 1).offset() == 5_500,
                    "subscriber " + i + " reached the last event");
            assertCompleteAndOrdered(r.events, Map.of("replay.t", first), 5_500);
        }
    }

    @Test
    void aLoopFarBehindDropsWhatComesAfterItsBacklogAndTellsEverySubscriberWhere() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        loops[0].execute(() -> {
            try {
                stalled.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Recorder kept = new Recorder();
        Recorder strict = new Recorder();
        Recorder other = new Recorder();
        broker.subscribe("p", "slow.t", StartPosition.latest(), onLoop(0, 10), kept);
        broker.subscribe("p", "slow.t", StartPosition.latest(),
                onLoop(0, 10).toBuilder().overflowPolicy(OverflowPolicy.DISCONNECT).build(), strict);
        broker.subscribe("p", "slow.t", StartPosition.latest(), onLoop(1, 100_000), other);
        int published = 5_000;
        for (int n = 1; n <= published; n++) {
            broker.publish("p", "slow.t", Integer.toString(n).getBytes());
        }
        Await.until(() -> other.events.size() == published, "the other loop's subscriber has every event");
        stalled.countDown();
        // The blocked loop held its backlog; what came after is one gap, where it went missing.
        int backlog = 1024;
        Await.until(() -> kept.gaps.size() == 1, "the drop told");
        assertThat(kept.events).hasSize(backlog);
        assertCompleteAndOrdered(kept.events, Map.of(), backlog);
        assertThat(kept.gaps.get(0).cause()).isEqualTo(Gap.Cause.QUEUE_OVERFLOW);
        assertThat(kept.gaps.get(0).missed()).isEqualTo(published - backlog);
        // A subscription whose policy is DISCONNECT ends rather than lose events.
        Await.until(() -> strict.closes.equals(List.of(CloseReason.SLOW_CONSUMER)), "the strict one ended");
        assertThat(strict.events).hasSize(backlog);
        assertThat(other.gaps).isEmpty();
        // The loop caught up: the next event is delivered after the gap.
        broker.publish("p", "slow.t", "next".getBytes());
        Await.until(() -> kept.events.size() == backlog + 1, "the next event arrived");
        assertThat(kept.events.get(backlog).offset()).isEqualTo(published + 1);
    }

    @Test
    void demandIsHonouredOnALoop() throws Exception {
        Recorder r = new Recorder();
        Subscription sub = broker.subscribe("p", "demand.t", StartPosition.latest(),
                onLoop(0, 1000).toBuilder().manualDemand().build(), r);
        for (int n = 1; n <= 20; n++) {
            broker.publish("p", "demand.t", Integer.toString(n).getBytes());
        }
        sub.request(5);
        Await.until(() -> r.events.size() == 5, "five requested, five delivered");
        // A marker through the same loop: once it ran, anything more would have been delivered before it.
        CountDownLatch marker = new CountDownLatch(1);
        loops[0].execute(marker::countDown);
        assertThat(marker.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(r.events).hasSize(5);
        sub.request(100);
        Await.until(() -> r.events.size() == 20, "the rest once requested");
        assertCompleteAndOrdered(r.events, Map.of(), 20);
    }
}
