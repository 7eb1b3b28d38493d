package dev.streams.core;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Records what a subscription receives, for assertions from the test thread. Shared with the other modules'
 * tests through streams-core's test-jar.
 */
public class Recorder implements SubscriptionListener {
    /** Events in arrival order. */
    public final List<Event> events = new CopyOnWriteArrayList<>();
    /** Gaps in arrival order. */
    public final List<Gap> gaps = new CopyOnWriteArrayList<>();
    /** Why the subscription ended, once it did. */
    public final List<CloseReason> closes = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(Event event) {
        events.add(event);
    }

    @Override
    public void onGap(Gap gap) {
        gaps.add(gap);
    }

    @Override
    public void onClose(CloseReason reason) {
        closes.add(reason);
    }

    /** Every payload as text, in arrival order. */
    public List<String> payloads() {
        return events.stream().map(Event::payloadAsString).toList();
    }

    /** One topic's payloads as text, in arrival order. */
    public List<String> payloads(String topic) {
        return events.stream().filter(e -> e.topic().equals(topic)).map(Event::payloadAsString).toList();
    }

    /** One topic's offsets, in arrival order. */
    public List<Long> offsets(String topic) {
        return events.stream().filter(e -> e.topic().equals(topic)).map(Event::offset).toList();
    }

    /** Waits for at least {@code count} events. */
    public Recorder awaitEvents(int count) {
        await(() -> events.size() >= count, () -> "expected " + count + " events, got " + events.size() + " "
                + (events.size() <= 50 ? payloads() : "") + " gaps " + gaps);
        return this;
    }

    /** Waits for the subscription to end. */
    public Recorder awaitClose() {
        await(() -> !closes.isEmpty(), "expected a close");
        return this;
    }

    /** Waits (at most 20 s, polling) until {@code condition} holds; fails with {@code message} otherwise. */
    public static void await(BooleanSupplier condition, String message) {
        await(condition, () -> message);
    }

    /** Like {@link #await(BooleanSupplier, String)}, with the message made when it fails. */
    public static void await(BooleanSupplier condition, Supplier<String> message) {
        Await.until(condition::getAsBoolean, message);
    }
}
