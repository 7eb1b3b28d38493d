package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.streams.core.Await;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.Recorder;
import dev.streams.core.StartPosition;
import dev.streams.core.SubscribeOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A publisher whose topic's fan-out is far behind is not read for a while, so that TCP slows it rather than the
 * fan-out dropping its events; a fan-out that never catches up costs it only a bounded stall each time. The
 * subscriber's event loop is an executor held busy by the test: its fan-out may hold 2,000 events (its queue
 * bound), and is "far behind" past 1,000.
 */
class PublisherPacingTest extends ServerFixture {
    private static final int STEP = 50;
    private final ExecutorService loop = Executors.newSingleThreadExecutor();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Recorder subscriber = new Recorder();

    /** The loop goes after the broker: the broker's close still hands the subscription's close to it. */
    @AfterEach
    void releaseTheLoopAndStopItAfterTheBroker() throws InterruptedException {
        release.countDown();
        stopServer();
        loop.shutdown();
    }

    private TestClient publisherOnABusyFanOut() {
        holdTheLoopWithASubscriber("paced.t");
        TestClient publisher = connect("/v1/ws/native?x-api-key=" + alphaKey.key());
        assertThat(publisher.nextJson().get("type").getAsString()).isEqualTo("welcome");
        return publisher;
    }

    private void holdTheLoopWithASubscriber(String pattern) {
        loop.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        broker.subscribe("alpha", pattern, StartPosition.latest(),
                SubscribeOptions.builder().eventLoop(loop).maxQueuedEvents(2_000).build(), subscriber);
    }

    private static void publish(TestClient publisher, int from, int count) {
        for (int i = from; i < from + count; i++) {
            publisher.send("{\"type\":\"publish\",\"id\":\"" + i + "\",\"topic\":\"paced.t\",\"text\":\"" + i + "\"}");
        }
    }

    /** Reads acknowledgements until {@code count} came or none came within {@code wait}; returns how many came. */
    private static int acks(TestClient publisher, int count, Duration wait) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            String frame = publisher.frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                return i;
            }
            JsonObject ack = JsonParser.parseString(frame).getAsJsonObject();
            assertThat(ack.get("type").getAsString()).as(frame).isEqualTo("ack");
        }
        return count;
    }

    @Test
    void aPublisherGoesUnreadWhileItsTopicsFanOutIsFarBehindAndNothingIsDropped() throws Exception {
        start(b -> b.maxPublisherStall(Duration.ofSeconds(10)));
        TestClient publisher = publisherOnABusyFanOut();
        int acked = 0;
        int sent = 0;
        while (sent < 3_000) {
            publish(publisher, sent, STEP);
            sent += STEP;
            int came = acks(publisher, STEP, Duration.ofSeconds(1));
            acked += came;
            if (came < STEP) {
                break;
            }
        }
        // Held back past half of what the fan-out may hold, and before it had to drop anything.
        assertThat(acked).isBetween(1_000, 1_100);
        assertThat(metric("streams_publisher_stalls_total")).isGreaterThanOrEqualTo(1);
        release.countDown();
        assertThat(acks(publisher, sent - acked, Duration.ofSeconds(10))).isEqualTo(sent - acked);
        while (sent < 3_000) {
            publish(publisher, sent, STEP);
            sent += STEP;
            assertThat(acks(publisher, STEP, Duration.ofSeconds(10))).isEqualTo(STEP);
        }
        Await.until(() -> subscriber.events.size() == 3_000, "every event delivered");
        assertThat(subscriber.gaps).isEmpty();
        for (int i = 0; i < 3_000; i++) {
            assertThat(subscriber.events.get(i).payloadAsString()).isEqualTo(String.valueOf(i));
        }
    }

    @Test
    void aFanOutThatNeverCatchesUpCostsThePublisherABoundedStallAndItsDropsAreTold() throws Exception {
        start(b -> b.maxPublisherStall(Duration.ofMillis(100)));
        TestClient publisher = publisherOnABusyFanOut();
        int published = 4_000;
        for (int sent = 0; sent < published; sent += 200) {
            publish(publisher, sent, 200);
            assertThat(acks(publisher, 200, Duration.ofSeconds(5))).as("acknowledged after a stall").isEqualTo(200);
        }
        release.countDown();
        // The fan-out held what it may (2,000); the rest went missing and the subscriber is told exactly how many.
        Await.until(() -> subscriber.events.size() + subscriber.gaps.stream().mapToLong(Gap::missed).sum() == published,
                "every event delivered or told as missing");
        assertThat(subscriber.gaps).allMatch(gap -> gap.cause() == Gap.Cause.QUEUE_OVERFLOW);
        assertThat(subscriber.events).extracting(Event::offset).isSorted();
    }

    @Test
    void aDeviceIngestingOverHttpWaitsWhileItsTopicsFanOutIsFarBehind() throws Exception {
        start(b -> b.maxPublisherStall(Duration.ofSeconds(10)));
        holdTheLoopWithASubscriber(">");
        int readings = 1_500;
        java.util.concurrent.atomic.AtomicInteger stored = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService device = Executors.newSingleThreadExecutor();
        // The device's own client: its one keep-alive connection is the one held, while the test reads /metrics
        // over the fixture's.
        java.net.http.HttpClient deviceHttp = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        try {
            java.util.concurrent.Future<?> sending = device.submit(() -> {
                for (int i = 0; i < readings; i++) {
                    java.net.http.HttpRequest reading = java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(http() + "/v1/projects/alpha/devices/d1/ingest"))
                            .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + alphaKey.key())
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}")).build();
                    assertThat(deviceHttp.send(reading, java.net.http.HttpResponse.BodyHandlers.ofString())
                            .statusCode()).isEqualTo(200);
                    stored.incrementAndGet();
                }
                return null;
            });
            Await.until(() -> metric("streams_publisher_stalls_total") >= 1, "the device held back");
            // The reading that took the fan-out past half its bound was answered before the hold began.
            Await.until(() -> stored.get() > 1_000, "the reading past half the bound answered");
            int held = stored.get();
            assertThat(held).isBetween(1_001, 1_100);
            // Its next request waits unread while the fan-out stays behind.
            Thread.sleep(500);
            assertThat(stored.get()).isEqualTo(held);
            release.countDown();
            sending.get(30, TimeUnit.SECONDS);
        } finally {
            device.shutdownNow();
        }
        Await.until(() -> subscriber.events.size() == readings, "every reading delivered");
        assertThat(subscriber.gaps).isEmpty();
    }

    @Test
    void theLongestStallIsBounded() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamsServer.builder(broker, auth)
                .maxPublisherStall(Duration.ofSeconds(11))).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamsServer.builder(broker, auth)
                .maxPublisherStall(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
