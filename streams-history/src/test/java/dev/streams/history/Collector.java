package dev.streams.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.core.CloseReason;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.SubscriptionListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Records what a subscription delivers. */
final class Collector implements SubscriptionListener {
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<Gap> gaps = new CopyOnWriteArrayList<>();

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
    }

    List<String> payloads() {
        return events.stream().map(Event::payloadAsString).toList();
    }

    Collector awaitEvents(int count) {
        await(() -> events.size() >= count, () -> "expected " + count + " events, got " + payloads() + " gaps " + gaps);
        return this;
    }

    static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what.get()).isLessThan(deadline);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
