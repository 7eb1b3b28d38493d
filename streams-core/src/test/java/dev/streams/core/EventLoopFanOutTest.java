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

    /** Counts a subscription's deliveries on its loop and notes anything that breaks demand, order or the close. */
    private static final class Strict implements SubscriptionListener {
        final java.util.concurrent.atomic.AtomicLong requested = new java.util.concurrent.atomic.AtomicLong();
        final List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile long delivered;
        volatile long lastOffset;
        volatile int closes;

        @Override
        public void onEvent(Event event) {
            long next = delivered + 1;
            if (closes > 0) {
                violations.add("event " + event.offset() + " after the close");
            }
            if (lastOffset != 0 && event.offset() != lastOffset + 1) {
                violations.add("offset " + event.offset() + " after " + lastOffset);
            }
            if (next > requested.get()) {
                violations.add("delivery " + next + " with " + requested.get() + " requested");
            }
            lastOffset = event.offset();
            delivered = next;
        }

        @Override
        public void onGap(Gap gap) {
            violations.add("gap " + gap);
        }

        @Override
        public void onClose(CloseReason reason) {
            closes++;
        }
    }

    @RepeatedTest(3)
    void demandGrantedFromOtherThreadsWhilePublishersRunIsNeverExceeded() throws Exception {
        int publishedPerThread = 4_000;
        long total = 3L * publishedPerThread;
        List<Strict> subscribers = new ArrayList<>();
        List<Subscription> subscriptions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Strict s = new Strict();
            subscriptions.add(broker.subscribe("p", "grant.t", StartPosition.latest(),
                    onLoop(i, 100_000).toBuilder().manualDemand().build(), s));
            subscribers.add(s);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            running.add(publishers.submit(() -> {
                go.await();
                for (int n = 0; n < publishedPerThread; n++) {
                    broker.publish("p", "grant.t", new byte[8]);
                }
                return null;
            }));
        }
        for (int t = 0; t < 2; t++) {
            // Two granters race each other and the loops, in steps of 7 that end exactly at the total.
            running.add(publishers.submit(() -> {
                go.await();
                boolean more = true;
                while (more) {
                    more = false;
                    for (int i = 0; i < subscribers.size(); i++) {
                        long before = subscribers.get(i).requested.getAndUpdate(r -> Math.min(total, r + 7));
                        long n = Math.min(total, before + 7) - before;
                        if (n > 0) {
                            subscriptions.get(i).request(n);
                            more = true;
                        }
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : running) {
            f.get(30, TimeUnit.SECONDS);
        }
        for (Strict s : subscribers) {
            Await.until(() -> s.delivered == total, "every requested event delivered");
        }
        // Demand is spent: more events wait (a marker through each loop shows none went), until requested.
        for (int n = 0; n < 10; n++) {
            broker.publish("p", "grant.t", new byte[8]);
        }
        for (ExecutorService loop : loops) {
            CountDownLatch marker = new CountDownLatch(1);
            loop.execute(marker::countDown);
            assertThat(marker.await(5, TimeUnit.SECONDS)).isTrue();
        }
        for (int i = 0; i < subscribers.size(); i++) {
            Strict s = subscribers.get(i);
            assertThat(s.delivered).isEqualTo(total);
            s.requested.addAndGet(10);
            subscriptions.get(i).request(10);
            Await.until(() -> s.delivered == total + 10, "the waiting events once requested");
            assertThat(s.violations).isEmpty();
        }
    }

    @RepeatedTest(3)
    void aSubscriptionCancelledFromAnotherThreadMidStreamGetsNothingAfterItsClose() throws Exception {
        List<Strict> subscribers = new ArrayList<>();
        List<Subscription> subscriptions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Strict s = new Strict();
            s.requested.set(Long.MAX_VALUE);
            subscriptions.add(broker.subscribe("p", "cancel.t", StartPosition.latest(), onLoop(i, 100_000), s));
            subscribers.add(s);
        }
        int published = 20_000;
        Future<?> publisher = publishers.submit(() -> {
            for (int n = 0; n < published; n++) {
                broker.publish("p", "cancel.t", new byte[8]);
            }
            return null;
        });
        for (int i = 0; i < subscribers.size(); i++) {
            Strict s = subscribers.get(i);
            long after = (long) published * i / subscribers.size();
            Await.until(() -> s.delivered >= after || publisher.isDone(), "subscriber " + i + " under way");
            subscriptions.get(i).cancel();
        }
        publisher.get(30, TimeUnit.SECONDS);
        for (Strict s : subscribers) {
            Await.until(() -> s.closes == 1, "the close delivered");
        }
        for (ExecutorService loop : loops) {
            CountDownLatch marker = new CountDownLatch(1);
            loop.execute(marker::countDown);
            assertThat(marker.await(5, TimeUnit.SECONDS)).isTrue();
        }
        for (Strict s : subscribers) {
            assertThat(s.closes).isEqualTo(1);
            assertThat(s.violations).isEmpty();
        }
    }
}
