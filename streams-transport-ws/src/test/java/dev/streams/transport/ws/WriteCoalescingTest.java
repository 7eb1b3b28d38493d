package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Write coalescing as a client sees it: a fan-out pass that follows another within the coalescing time waits for
 * the rest of it and then carries every event of that time, in order, none lost; a publisher's acknowledgements
 * (passes over one connection) are not held. One event loop, so that every connection shares its passes.
 */
class WriteCoalescingTest extends ServerFixture {
    private static final int SUBSCRIBERS = 20;

    private static String text(TestClient client) {
        JsonObject frame = client.nextJson();
        assertThat(frame.get("type").getAsString()).isEqualTo("event");
        return frame.get("text").getAsString();
    }

    @Test
    void aFanOutPassWithinTheCoalescingTimeWaitsForItAndCarriesEveryEventInOrder() {
        start(b -> b.eventLoopThreads(1).writeCoalescing(Duration.ofMillis(400)));
        List<TestClient> subscribers = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            subscribers.add(nativeSubscriber("co.t"));
        }
        broker.publish("alpha", "co.t", "1".getBytes(StandardCharsets.UTF_8));
        long firstSeen = 0;
        for (TestClient client : subscribers) {
            assertThat(text(client)).isEqualTo("1");
            firstSeen = firstSeen == 0 ? System.nanoTime() : firstSeen;
        }
        // The pass that delivered "1" wrote to 20 connections: the next one may not come before 400 ms after it.
        for (int i = 2; i <= 6; i++) {
            broker.publish("alpha", "co.t", String.valueOf(i).getBytes(StandardCharsets.UTF_8));
        }
        for (TestClient client : subscribers) {
            for (int i = 2; i <= 6; i++) {
                assertThat(text(client)).isEqualTo(String.valueOf(i));
            }
        }
        long heldMillis = (System.nanoTime() - firstSeen) / 1_000_000;
        assertThat(heldMillis).as("the second pass waited for the coalescing time").isGreaterThanOrEqualTo(300);
    }

    @Test
    void acknowledgementsOfAPublisherAreNotHeld() {
        start(b -> b.eventLoopThreads(1).writeCoalescing(Duration.ofSeconds(1)));
        TestClient publisher = connect("/v1/ws/native?x-api-key=" + alphaKey.key());
        assertThat(publisher.nextJson().get("type").getAsString()).isEqualTo("welcome");
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            publisher.send("{\"type\":\"publish\",\"id\":\"p" + i + "\",\"topic\":\"alone\",\"text\":\"x\"}");
            JsonObject ack = publisher.nextJson();
            assertThat(ack.get("type").getAsString()).isEqualTo("ack");
            assertThat(ack.get("id").getAsString()).isEqualTo("p" + i);
        }
        // Held, ten acknowledgements would take nine seconds or more.
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
    }

    @Test
    void theCoalescingTimeIsBounded() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamsServer.builder(broker, auth)
                .writeCoalescing(Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamsServer.builder(broker, auth)
                .writeCoalescing(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLongestWriteHoldIsBounded() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamsServer.builder(broker, auth)
                .maxWriteHold(Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamsServer.builder(broker, auth)
                .maxWriteHold(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamsServer.builder(broker, auth)
                .maxWriteHold(null)).isInstanceOf(NullPointerException.class);
    }
}
