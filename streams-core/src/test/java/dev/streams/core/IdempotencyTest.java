package dev.streams.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdempotencyTest {
    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-12-03T00:00:00Z"));
    private Broker broker = Broker.builder().clock(clock).idempotency(new Idempotency(Duration.ofMinutes(10), 3)).build();
    private final Recorder received = new Recorder();

    @AfterEach
    void close() {
        broker.close();
    }

    private Event publish(String topic, String payload, String key) {
        return broker.publish("p", topic, Event.JSON, payload.getBytes(StandardCharsets.UTF_8), Map.of(Idempotency.KEY, key));
    }

    @Test
    void aRepeatIsAnsweredWithTheFirstPublishAndStoredAndDeliveredOnce() {
        broker.subscribe("p", ">", StartPosition.latest(), received);
        Event first = publish("t", "{\"n\":1}", "order-1");
        Event repeat = publish("t", "{\"n\":1}", "order-1");
        Event other = publish("t", "{\"n\":2}", "order-2");
        assertThat(repeat.position()).isEqualTo(first.position());
        assertThat(repeat.timestampNanos()).isEqualTo(first.timestampNanos());
        assertThat(other.offset()).isEqualTo(first.offset() + 1);
        Await.until(() -> received.events.size() == 2, () -> "received " + received.payloads());
        assertThat(received.payloads()).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(broker.stats("p").published()).isEqualTo(2);
        assertThat(broker.stats("p").repeatedPublishes()).isEqualTo(1);
    }

    @Test
    void manyThreadsRetryingOneKeyStoreOneEvent() throws Exception {
        broker.subscribe("p", ">", StartPosition.latest(), received);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Event>> attempts = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                attempts.add(pool.submit((Callable<Event>) () -> {
                    go.await();
                    return publish("t", "{\"once\":true}", "k");
                }));
            }
            go.countDown();
            Position position = attempts.get(0).get().position();
            for (Future<Event> attempt : attempts) {
                assertThat(attempt.get().position()).isEqualTo(position);
            }
        } finally {
            pool.shutdownNow();
        }
        Await.until(() -> received.events.size() == 1, () -> "received " + received.payloads());
        assertThat(broker.stats("p").published()).isEqualTo(1);
        assertThat(broker.stats("p").repeatedPublishes()).isEqualTo(63);
    }

    @Test
    void aKeyNamesOnePublishOfOneTopicAndMustBeUsable() {
        publish("t", "{}", "k");
        assertThatThrownBy(() -> publish("u", "{}", "k")).isInstanceOf(StreamsException.class)
                .hasMessageContaining("another topic").satisfies(e ->
                        assertThat(((StreamsException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        for (String bad : new String[] {"", "with space", "x".repeat(256), "tab\t", "é"}) {
            assertThatThrownBy(() -> publish("t", "{}", bad)).as(bad).isInstanceOf(StreamsException.class)
                    .satisfies(e -> assertThat(((StreamsException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
        assertThat(broker.stats("p").published()).isEqualTo(1);
    }

    @Test
    void keysAreForgottenAfterTheWindowAndBoundedWithinIt() {
        Event first = publish("t", "{}", "a");
        publish("t", "{}", "b");
        publish("t", "{}", "c");
        // A fourth key within the window is refused, not remembered at the cost of a duplicate later.
        assertThatThrownBy(() -> publish("t", "{}", "d")).isInstanceOf(StreamsException.class)
                .satisfies(e -> assertThat(((StreamsException) e).kind()).isEqualTo(ErrorKind.LIMIT_EXCEEDED));
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        Event again = publish("t", "{}", "a");
        assertThat(again.offset()).isGreaterThan(first.offset());
        publish("t", "{}", "d");
        assertThat(broker.stats("p").published()).isEqualTo(5);
    }

    @Test
    void aRefusedPublishLetsItsKeyGoSoTheRetryIsStored() {
        broker.close();
        broker = Broker.builder().clock(clock).projectLimits(ProjectLimits.DEFAULT.withMaxTopics(1)).build();
        publish("a", "{}", "first");
        assertThatThrownBy(() -> publish("b", "{}", "k")).isInstanceOf(StreamsException.class)
                .satisfies(e -> assertThat(((StreamsException) e).kind()).isEqualTo(ErrorKind.LIMIT_EXCEEDED));
        Event retried = publish("a", "{}", "k");
        assertThat(retried.topic()).isEqualTo("a");
        assertThat(broker.stats("p").published()).isEqualTo(2);
    }
}
