package dev.streams.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BrokerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Broker broker = Broker.builder().clock(clock).build();

    @AfterEach
    void close() {
        broker.close();
    }

    private Event publish(String project, String topic, String payload) {
        return broker.publish(project, topic, payload.getBytes(UTF_8));
    }

    @Test
    void publishReturnsTheStoredEvent() {
        Event first = broker.publish("p", "events", "text/plain", "hello".getBytes(UTF_8), Map.of("device", "d1"));
        Event second = publish("p", "events", "again");
        assertThat(first.project()).isEqualTo("p");
        assertThat(first.topic()).isEqualTo("events");
        assertThat(first.offset()).isEqualTo(1);
        assertThat(second.offset()).isEqualTo(2);
        assertThat(second.epoch()).isEqualTo(first.epoch());
        assertThat(first.timestamp()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(second.timestampNanos()).as("strictly increasing within a topic").isGreaterThan(first.timestampNanos());
        assertThat(first.contentType()).isEqualTo("text/plain");
        assertThat(first.attributes()).containsEntry("device", "d1");
        assertThat(first.payloadAsString()).isEqualTo("hello");
        assertThat(second.contentType()).isEqualTo(Event.DEFAULT_CONTENT_TYPE);
    }

    @Test
    void payloadIsCopiedBothWays() {
        byte[] payload = "abc".getBytes(UTF_8);
        Event event = broker.publish("p", "t", payload);
        payload[0] = 'X';
        event.payload()[1] = 'Y';
        assertThat(event.payloadAsString()).isEqualTo("abc");
        assertThat(event.payloadBuffer().isReadOnly()).isTrue();
    }

    @Test
    void deliversToExactAndWildcardSubscribersOfTheSameProjectOnly() {
        Recorder exact = new Recorder();
        Recorder wildcard = new Recorder();
        Recorder tail = new Recorder();
        Recorder otherProject = new Recorder();
        broker.subscribe("p", "devices.d1.stream", StartPosition.latest(), exact);
        broker.subscribe("p", "devices.*.stream", StartPosition.latest(), wildcard);
        broker.subscribe("p", "devices.>", StartPosition.latest(), tail);
        broker.subscribe("q", ">", StartPosition.latest(), otherProject);

        publish("p", "devices.d1.stream", "1");
        publish("p", "devices.d2.stream", "2");
        publish("p", "devices.d2.config", "3");

        assertThat(exact.awaitEvents(1).payloads()).containsExactly("1");
        assertThat(wildcard.awaitEvents(2).payloads()).containsExactly("1", "2");
        assertThat(tail.awaitEvents(3).payloads()).containsExactly("1", "2", "3");
        publish("q", "marker", "q");
        assertThat(otherProject.awaitEvents(1).payloads()).containsExactly("q");
    }

    @Test
    void aListenerThatThrowsAnErrorEndsItsSubscriptionWithAReasonAndOthersGoOn() {
        Recorder failing = new Recorder() {
            @Override
            public void onEvent(Event event) {
                if (event.payloadAsString().equals("2")) {
                    throw new OutOfMemoryError("simulated: no buffer for this event");
                }
                super.onEvent(event);
            }
        };
        Recorder healthy = new Recorder();
        broker.subscribe("p", "t", StartPosition.latest(), failing);
        broker.subscribe("p", "t", StartPosition.latest(), healthy);
        for (int i = 1; i <= 4; i++) {
            publish("p", "t", String.valueOf(i));
        }
        assertThat(healthy.awaitEvents(4).payloads()).containsExactly("1", "2", "3", "4");
        failing.awaitClose();
        // Event 2 never arrived, so the subscription ends and says why instead of going on past the hole.
        assertThat(failing.closes).containsExactly(CloseReason.LISTENER_FAILED);
        assertThat(failing.payloads()).startsWith("1").doesNotContain("2");
        publish("p", "t", "5");
        assertThat(healthy.awaitEvents(5).payloads()).endsWith("5");
        assertThat(failing.payloads()).doesNotContain("5");
    }

    @Test
    void startPositionsReplayHistoryThenLive() {
        for (int i = 1; i <= 5; i++) {
            publish("p", "t", "e" + i);
            clock.advance(Duration.ofSeconds(1));
        }
        Recorder last2 = new Recorder();
        Recorder since = new Recorder();
        Recorder latest = new Recorder();
        broker.subscribe("p", "t", StartPosition.last(2), last2);
        broker.subscribe("p", "t", StartPosition.since(Instant.parse("2026-01-01T00:00:03Z")), since);
        broker.subscribe("p", "t", StartPosition.latest(), latest);
        publish("p", "t", "e6");

        assertThat(last2.awaitEvents(3).payloads()).containsExactly("e4", "e5", "e6");
        assertThat(since.awaitEvents(3).payloads()).containsExactly("e4", "e5", "e6");
        assertThat(latest.awaitEvents(1).payloads()).containsExactly("e6");
    }

    @Test
    void resumeContinuesWithoutGapWhileHistoryHoldsTheEvents() {
        Event e1 = publish("p", "t", "e1");
        publish("p", "t", "e2");
        publish("p", "t", "e3");
        Recorder resumed = new Recorder();
        broker.subscribe("p", "t", StartPosition.after(e1.position()), resumed);
        assertThat(resumed.awaitEvents(2).payloads()).containsExactly("e2", "e3");
        assertThat(resumed.gaps).isEmpty();
    }

    @Test
    void resumeReportsExactlyHowManyEventsFellOutOfHistory() {
        broker.close();
        broker = Broker.builder().clock(clock).history(new HistoryLimits(3, 1 << 20, Duration.ofHours(1))).build();
        Event e1 = publish("p", "t", "e1");
        for (int i = 2; i <= 6; i++) {
            publish("p", "t", "e" + i);
        }
        Recorder resumed = new Recorder();
        broker.subscribe("p", "t", StartPosition.after(e1.position()), resumed);
        assertThat(resumed.awaitEvents(3).payloads()).containsExactly("e4", "e5", "e6");
        assertThat(resumed.gaps).containsExactly(new Gap("t", e1.epoch(), 2, Gap.Cause.HISTORY_EXPIRED));
    }

    @Test
    void resumeFromAnotherEpochReportsAnUnknownGapAndReplaysTheNewHistory() {
        Event old = publish("p", "t", "before restart");
        broker.close();
        broker = Broker.builder().clock(clock).build();
        Event fresh = publish("p", "t", "after restart");
        assertThat(fresh.epoch()).isNotEqualTo(old.epoch());

        Recorder resumed = new Recorder();
        broker.subscribe("p", "t", StartPosition.after(old.position()), resumed);
        assertThat(resumed.awaitEvents(1).payloads()).containsExactly("after restart");
        assertThat(resumed.gaps).containsExactly(new Gap("t", fresh.epoch(), -1, Gap.Cause.EPOCH_CHANGED));
    }

    @Test
    void patternResumeUsesEachTopicsPositionAndAFallbackForOthers() {
        Event a1 = publish("p", "d.a", "a1");
        publish("p", "d.a", "a2");
        publish("p", "d.b", "b1");
        Recorder resumed = new Recorder();
        broker.subscribe("p", "d.*", StartPosition.resume(Map.of("d.a", a1.position()), StartPosition.last(10)),
                resumed);
        assertThat(resumed.awaitEvents(2).payloads()).containsExactlyInAnyOrder("a2", "b1");
    }

    @Test
    void historyLimitsBoundCountBytesAndAge() {
        broker.close();
        broker = Broker.builder().clock(clock).history(new HistoryLimits(100, 1000, Duration.ofMinutes(1))).build();
        for (int i = 0; i < 20; i++) {
            broker.publish("p", "bytes", new byte[100]);
        }
        Recorder byBytes = new Recorder();
        broker.subscribe("p", "bytes", StartPosition.last(100), byBytes);
        // Each event is charged 100 payload bytes plus fixed overhead, so fewer than 10 fit in 1000 bytes.
        Recorder.await(() -> !byBytes.events.isEmpty(), "replay");
        assertThat(byBytes.events.size()).isBetween(1, 9);

        publish("p", "aged", "old");
        clock.advance(Duration.ofMinutes(2));
        publish("p", "aged", "new");
        Recorder byAge = new Recorder();
        broker.subscribe("p", "aged", StartPosition.last(100), byAge);
        assertThat(byAge.awaitEvents(1).payloads()).containsExactly("new");
    }

    @Test
    void aSubscriptionThatItsOwnReplayEndsLeavesItsTopic() {
        broker.close();
        broker = Broker.builder().clock(clock).history(new HistoryLimits(100, 1 << 20, Duration.ofMinutes(1))).build();
        for (int i = 0; i < 10; i++) {
            publish("p", "t", "e" + i);
        }
        // No demand, so nothing drains while the replay fills the two-event queue: it overflows and ends.
        SubscribeOptions tiny = SubscribeOptions.builder().maxQueuedEvents(2).overflowPolicy(OverflowPolicy.DISCONNECT)
                .manualDemand().build();
        Recorder slow = new Recorder();
        broker.subscribe("p", "t", StartPosition.last(10), tiny, slow);
        Recorder.await(() -> slow.closes.contains(CloseReason.SLOW_CONSUMER), () -> "closes " + slow.closes);
        // Ended, it holds the topic no more: once its history expires, the topic is forgotten.
        clock.advance(Duration.ofMinutes(2));
        broker.sweep();
        assertThat(broker.stats("p").topicsEvicted()).isEqualTo(1);
    }

    @Test
    void zeroHistoryMeansLiveOnly() {
        broker.close();
        broker = Broker.builder().clock(clock).history(new HistoryLimits(0, 0, Duration.ZERO)).build();
        Event first = publish("p", "t", "gone");
        Recorder resumed = new Recorder();
        broker.subscribe("p", "t", StartPosition.after(new Position(first.epoch(), 0)), resumed);
        publish("p", "t", "live");
        assertThat(resumed.awaitEvents(1).payloads()).containsExactly("live");
        assertThat(resumed.gaps).containsExactly(new Gap("t", first.epoch(), 1, Gap.Cause.HISTORY_EXPIRED));
    }

    @Test
    void refusesBadInputWithTypedErrors() {
        assertThatThrownBy(() -> publish("p", "a..b", "x"))
                .isInstanceOfSatisfying(InvalidTopicException.class,
                        e -> assertThat(e.rule()).isEqualTo(dev.streams.protocol.TopicRule.EMPTY_TOKEN));
        assertThatThrownBy(() -> publish("p", "a.*", "x")).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> publish("bad/project", "t", "x"))
                .isInstanceOfSatisfying(StreamsException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_PROJECT));
        assertThatThrownBy(() -> broker.subscribe("p", "a.>.b", StartPosition.latest(), new Recorder()))
                .isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> StartPosition.last(-1)).isInstanceOf(StreamsException.class);

        broker.close();
        broker = Broker.builder().maxPayloadBytes(10).maxTopicLength(8).build();
        assertThatThrownBy(() -> broker.publish("p", "t", new byte[11]))
                .isInstanceOfSatisfying(StreamsException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE));
        assertThatThrownBy(() -> broker.publish("p", "123456789", new byte[1]))
                .isInstanceOfSatisfying(InvalidTopicException.class,
                        e -> assertThat(e.rule()).isEqualTo(dev.streams.protocol.TopicRule.TOO_LONG));
        assertThat(broker.stats("p").published()).isZero();
    }

    @Test
    void cancelStopsDeliveryAndTellsTheListener() {
        Recorder recorder = new Recorder();
        Subscription sub = broker.subscribe("p", "t", StartPosition.latest(), recorder);
        assertThat(broker.stats("p").subscriptions()).isEqualTo(1);
        sub.cancel();
        assertThat(recorder.awaitClose().closes).containsExactly(CloseReason.CANCELLED);
        assertThat(sub.isActive()).isFalse();
        publish("p", "t", "after");
        assertThat(broker.stats("p").subscriptions()).isZero();
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void manualDemandDeliversOnlyWhatWasRequested() {
        Recorder recorder = new Recorder();
        Subscription sub = broker.subscribe("p", "t", StartPosition.latest(),
                SubscribeOptions.builder().manualDemand().build(), recorder);
        for (int i = 0; i < 5; i++) {
            publish("p", "t", "e" + i);
        }
        sub.request(2);
        recorder.awaitEvents(2);
        assertThat(sub.queuedEvents()).isEqualTo(3);
        assertThat(recorder.events).hasSize(2);
        sub.request(10);
        assertThat(recorder.awaitEvents(5).payloads()).containsExactly("e0", "e1", "e2", "e3", "e4");
        assertThatThrownBy(() -> sub.request(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statsCountPublishedDeliveredAndTopics() {
        Recorder recorder = new Recorder();
        broker.subscribe("p", ">", StartPosition.latest(), recorder);
        publish("p", "a", "1");
        publish("p", "b", "2");
        recorder.awaitEvents(2);
        Recorder.await(() -> broker.stats("p").delivered() == 2, "delivered counter");
        ProjectStats stats = broker.stats("p");
        assertThat(stats.published()).isEqualTo(2);
        assertThat(stats.topics()).isEqualTo(2);
        assertThat(stats.subscriptions()).isEqualTo(1);
        assertThat(broker.stats("never")).isEqualTo(ProjectStats.EMPTY);
        assertThat(broker.latestPosition("p", "a")).contains(new Position(broker.latestPosition("p", "a").get().epoch(), 1));
        assertThat(broker.latestPosition("p", "zzz")).isEmpty();
        assertThat(broker.projects()).containsExactly("p");
    }

    @Test
    void closeDrainsQueuedEventsThenRefusesWork() {
        Recorder recorder = new Recorder();
        Subscription sub = broker.subscribe("p", "t", StartPosition.latest(),
                SubscribeOptions.builder().manualDemand().build(), recorder);
        publish("p", "t", "1");
        publish("p", "t", "2");
        sub.request(Long.MAX_VALUE);
        broker.close();
        assertThat(recorder.payloads()).containsExactly("1", "2");
        assertThat(recorder.closes).containsExactly(CloseReason.BROKER_CLOSED);
        assertThatThrownBy(() -> publish("p", "t", "3"))
                .isInstanceOfSatisfying(StreamsException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CLOSED));
        assertThatThrownBy(() -> broker.subscribe("p", "t", StartPosition.latest(), new Recorder()))
                .isInstanceOf(StreamsException.class);
    }

    @Test
    void closeGivesUpOnASubscriberWithNoDemandAfterTheTimeout() {
        broker.close();
        broker = Broker.builder().closeTimeout(Duration.ofMillis(200)).build();
        Recorder recorder = new Recorder();
        broker.subscribe("p", "t", StartPosition.latest(), SubscribeOptions.builder().manualDemand().build(), recorder);
        publish("p", "t", "never requested");
        broker.close();
        assertThat(recorder.awaitClose().closes).containsExactly(CloseReason.BROKER_CLOSED);
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void listenerExceptionsDoNotStopDelivery() {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        broker.subscribe("p", "t", StartPosition.latest(), event -> {
            seen.add(event.payloadAsString());
            throw new IllegalStateException("listener bug");
        });
        publish("p", "t", "1");
        publish("p", "t", "2");
        Recorder.await(() -> seen.size() == 2, "both delivered");
    }
}
