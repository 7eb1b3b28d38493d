package dev.streams.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link TimedEventLoop} hears of one live event in 1,024 of each topic, on the loop, once its subscribers there
 * have it, with the time its fan-out began; never of a replayed event, and an ordinary executor is never asked.
 */
class TimedEventLoopTest {
    private final Broker broker = Broker.builder().history(new HistoryLimits(100_000, 1L << 30, Duration.ofHours(1)))
            .projectLimits(ProjectLimits.UNLIMITED).build();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "timed-loop"));
    /** An ordinary executor used as an event loop. */
    private final ExecutorService plain = Executors.newSingleThreadExecutor();
    private final Loop loop = new Loop();
    private final Recorder first = new Recorder();
    private final Recorder second = new Recorder();

    /** What the loop was told: the sampled fan-out's start, and how many events each subscriber had then. */
    private record Told(long fanOutNanos, long toldNanos, String thread, int firstHad, int secondHad) {
    }

    private final class Loop implements TimedEventLoop {
        final List<Told> told = new CopyOnWriteArrayList<>();

        @Override
        public void execute(Runnable task) {
            thread.execute(task);
        }

        @Override
        public void handedSample(long fanOutNanos) {
            told.add(new Told(fanOutNanos, System.nanoTime(), Thread.currentThread().getName(), first.events.size(),
                    second.events.size()));
        }
    }

    /** The loops go after the broker: its close still hands each subscription's close to them. */
    @AfterEach
    void tearDown() {
        broker.close();
        thread.shutdownNow();
        plain.shutdownNow();
    }

    private SubscribeOptions on(java.util.concurrent.Executor executor) {
        return SubscribeOptions.builder().maxQueuedEvents(10_000).eventLoop(executor).build();
    }

    private void publish(String topic, int count) {
        for (int i = 0; i < count; i++) {
            broker.publish("p", topic, "x".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyTopicsOffsetsThatAreMultiplesOf1024AreToldOnTheLoopAfterItsSubscribersHaveThem() {
        broker.subscribe("p", "a", StartPosition.latest(), on(loop), first);
        broker.subscribe("p", "a", StartPosition.latest(), on(loop), second);
        long start = System.nanoTime();
        publish("a", 3 * TimedEventLoop.SAMPLE_EVERY - 1);
        Await.until(() -> second.events.size() == 3 * TimedEventLoop.SAMPLE_EVERY - 1, "all delivered");
        assertThat(loop.told).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Told told = loop.told.get(i);
            int sampled = (i + 1) * TimedEventLoop.SAMPLE_EVERY;
            assertThat(told.thread()).isEqualTo("timed-loop");
            assertThat(told.firstHad()).as("both subscribers have offset %d", sampled).isGreaterThanOrEqualTo(sampled);
            assertThat(told.secondHad()).isGreaterThanOrEqualTo(sampled);
            assertThat(told.fanOutNanos()).isBetween(start, told.toldNanos());
        }
        // Each topic samples its own offsets.
        publish("b", TimedEventLoop.SAMPLE_EVERY);
        broker.subscribe("p", "b", StartPosition.latest(), on(loop), new Recorder());
        publish("b", TimedEventLoop.SAMPLE_EVERY);
        Await.until(() -> loop.told.size() == 3, "topic b's offset 2048");
    }

    @Test
    void replayedEventsAreNotTimedAndAnOrdinaryExecutorIsNeverAsked() {
        Recorder onPlain = new Recorder();
        broker.subscribe("p", "a", StartPosition.latest(), on(plain), onPlain);
        publish("a", TimedEventLoop.SAMPLE_EVERY * 2);
        broker.subscribe("p", "a", StartPosition.last(TimedEventLoop.SAMPLE_EVERY * 2), on(loop), first);
        Await.until(() -> first.events.size() == TimedEventLoop.SAMPLE_EVERY * 2, "the replay");
        assertThat(loop.told).as("offsets 1024 and 2048 were replayed, not fanned out").isEmpty();
        publish("a", TimedEventLoop.SAMPLE_EVERY);
        Await.until(() -> loop.told.size() == 1, "offset 3072, live");
        Await.until(() -> onPlain.events.size() == TimedEventLoop.SAMPLE_EVERY * 3, "the plain loop's");
    }
}
