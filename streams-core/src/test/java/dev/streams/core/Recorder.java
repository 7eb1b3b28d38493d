package dev.streams.core;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** Records what a subscription receives, for assertions from the test thread. */
class Recorder implements SubscriptionListener {
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<Gap> gaps = new CopyOnWriteArrayList<>();
    final List<CloseReason> closes = new CopyOnWriteArrayList<>();

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

    List<String> payloads() {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.payloadAsString()));
        return out;
    }

    Recorder awaitEvents(int count) {
        await(() -> events.size() >= count, "expected " + count + " events, got " + events.size());
        return this;
    }

    Recorder awaitClose() {
        await(() -> !closes.isEmpty(), "expected a close");
        return this;
    }

    static void await(BooleanSupplier condition, String message) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
