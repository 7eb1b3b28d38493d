package dev.streams.cluster.redis;

import static dev.streams.core.Recorder.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.core.Broker;
import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.Position;
import dev.streams.core.Recorder;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
import dev.streams.core.SubscribeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Brokers on one real Redis behave as one: the engine on its own, without the transport. */
class RedisClusterEngineTest extends ClusterFixture {
    private static final String P = "demo";


    /** A subscription whose queue holds a whole test's burst, so what it shows is the cluster's doing. */
    private static void subscribe(Broker node, String pattern, StartPosition start, Recorder into) {
        node.subscribe(P, pattern, start, SubscribeOptions.builder().maxQueuedEvents(100_000).build(), into);
    }

    private static byte[] text(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    @Test
    void publishesOnEveryNodeReachWildcardSubscribersOnEveryNodeInOneOrder() throws Exception {
        List<Broker> three = List.of(node("a"), node("b"), node("c"));
        List<Recorder> receivers = new ArrayList<>();
        for (Broker n : three) {
            Recorder r = new Recorder();
            subscribe(n, "devices.*.stream", StartPosition.latest(), r);
            receivers.add(r);
        }
        String[] topics = {"devices.d1.stream", "devices.d2.stream", "devices.d3.stream"};
        int perThread = 300;
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> publishers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            Broker via = three.get(t % 3);
            int thread = t;
            publishers.add(pool.submit(() -> {
                List<CompletableFuture<Event>> acks = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    String topic = topics[i % topics.length];
                    acks.add(via.publishAsync(P, topic, "text/plain", text(thread + ":" + i), Map.of()));
                }
                acks.forEach(CompletableFuture::join);
                return null;
            }));
        }
        for (Future<?> f : publishers) {
            f.get();
        }
        pool.shutdown();
        int total = 6 * perThread;
        for (Recorder r : receivers) {
            await(() -> r.events.size() == total, "every event on every node");
        }
        for (String topic : topics) {
            List<Long> offsets = receivers.get(0).offsets(topic);
            assertThat(offsets).isEqualTo(oneTo(offsets.size()));
            for (Recorder r : receivers) {
                assertThat(r.payloads(topic)).as("order of %s", topic).isEqualTo(receivers.get(0).payloads(topic));
                assertThat(r.offsets(topic)).isEqualTo(offsets);
            }
        }
        // One publisher's events to one topic keep its order.
        List<String> d1 = receivers.get(1).payloads("devices.d1.stream");
        List<String> fromThread0 = d1.stream().filter(s -> s.startsWith("0:")).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < perThread; i += 3) {
            expected.add("0:" + i);
        }
        assertThat(fromThread0).isEqualTo(expected);
        receivers.forEach(r -> assertThat(r.gaps).isEmpty());
    }

    @Test
    void aClientResumesOnANodeThatStartedLaterWithNoGapAndNoDuplicate() throws Exception {
        Broker a = node("a");
        for (int i = 1; i <= 100; i++) {
            a.publish(P, "t", text("e" + i));
        }
        Position at40 = new Position(a.latestPosition(P, "t").orElseThrow().epoch(), 40);
        Broker late = node("late");
        Recorder r = new Recorder();
        subscribe(late, "t", StartPosition.resume(Map.of("t", at40), StartPosition.latest()), r);
        a.publish(P, "t", text("e101"));
        await(() -> r.events.size() == 61, "replay then live");
        assertThat(r.offsets("t")).isEqualTo(LongStream.rangeClosed(41, 101).boxed().toList());
        assertThat(r.payloads("t").get(0)).isEqualTo("e41");
        assertThat(r.gaps).isEmpty();
    }

    @Test
    void aKilledPubSubConnectionIsRefilledWithNoLoss() throws Exception {
        Broker a = node("a");
        Broker b = node("b");
        Recorder busy = new Recorder();
        Recorder quiet = new Recorder();
        subscribe(b, "busy", StartPosition.latest(), busy);
        subscribe(b, "quiet", StartPosition.latest(), quiet);
        a.publish(P, "quiet", text("q1"));
        for (int round = 0; round < 5; round++) {
            assertThat(redis.command("CLIENT KILL TYPE pubsub")).startsWith(":");
            for (int i = 0; i < 40; i++) {
                a.publishAsync(P, "busy", "text/plain", text("b" + round + "." + i), Map.of());
            }
            a.publish(P, "quiet", text("q" + (round + 2)));
        }
        await(() -> busy.events.size() == 200, "every busy event");
        await(() -> quiet.events.size() == 6, "every quiet event, with no later publish to notice by");
        assertThat(busy.offsets("busy")).isEqualTo(oneTo(200));
        assertThat(quiet.offsets("quiet")).isEqualTo(oneTo(6));
        assertThat(busy.gaps).isEmpty();
        assertThat(quiet.gaps).isEmpty();
    }

    @Test
    void publishingOnEveryNodeWhilePubSubConnectionsKeepDyingLosesNothing() throws Exception {
        List<Broker> three = List.of(node("a"), node("b"), node("c"));
        List<Recorder> receivers = new ArrayList<>();
        for (Broker n : three) {
            Recorder r = new Recorder();
            subscribe(n, "chaos.>", StartPosition.latest(), r);
            receivers.add(r);
        }
        String[] topics = {"chaos.1", "chaos.2", "chaos.3", "chaos.4"};
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> publishers = new ArrayList<>();
        long end = System.nanoTime() + 3_000_000_000L;
        for (int t = 0; t < 3; t++) {
            Broker via = three.get(t);
            int thread = t;
            publishers.add(pool.submit(() -> {
                int sent = 0;
                while (System.nanoTime() < end) {
                    via.publish(P, topics[sent % topics.length], text(thread + ":" + sent));
                    sent++;
                    if (sent % 50 == 0) {
                        Thread.sleep(1);
                    }
                }
                return sent;
            }));
        }
        int kills = 0;
        while (System.nanoTime() < end) {
            redis.command("CLIENT KILL TYPE pubsub");
            kills++;
            Thread.sleep(150);
        }
        int total = 0;
        for (Future<Integer> f : publishers) {
            total += f.get();
        }
        pool.shutdown();
        int expected = total;
        for (Recorder r : receivers) {
            await(() -> r.events.size() >= expected, () -> {
                StringBuilder d = new StringBuilder();
                for (int i = 0; i < 3; i++) {
                    Recorder x = receivers.get(i);
                    d.append("\nnode ").append(i).append(' ').append(three.get(i).clusterStatus().metrics());
                    for (String topic : topics) {
                        List<Long> o = x.offsets(topic);
                        List<Long> missing = new ArrayList<>();
                        long prev = 0;
                        for (long v : o) {
                            for (long m = prev + 1; m < v && missing.size() < 10; m++) {
                                missing.add(m);
                            }
                            prev = v;
                        }
                        d.append("\n  ").append(topic).append(" n=").append(o.size()).append(" last=").append(prev)
                                .append(" latest=").append(three.get(i).latestPosition(P, topic)).append(" holes=").append(missing);
                    }
                }
                return "every event on every node: " + r.events.size() + " of " + expected + ", gaps " + r.gaps + d;
            });
        }
        for (String topic : topics) {
            List<Long> offsets = receivers.get(0).offsets(topic);
            assertThat(offsets).isEqualTo(oneTo(offsets.size()));
            for (Recorder r : receivers) {
                assertThat(r.offsets(topic)).as("%s after %d kills", topic, kills).isEqualTo(offsets);
                assertThat(r.payloads(topic)).isEqualTo(receivers.get(0).payloads(topic));
            }
        }
        receivers.forEach(r -> assertThat(r.gaps).isEmpty());
        assertThat(receivers.get(0).events).hasSize(expected);
    }

    @Test
    void redisRestartedEmptyGivesAnExplicitNewEpoch() throws Exception {
        Broker a = node("a");
        Broker b = node("b");
        Recorder live = new Recorder();
        subscribe(b, "t", StartPosition.latest(), live);
        for (int i = 0; i < 10; i++) {
            a.publish(P, "t", text("old" + i));
        }
        await(() -> live.events.size() == 10, "old epoch");
        Position old = live.events.get(9).position();
        redis.restart();
        await(() -> a.clusterStatus().healthy() && b.clusterStatus().healthy(), "reconnected");
        Event first = publishWhenAccepted(a, "t", "new0");
        assertThat(first.offset()).isEqualTo(1);
        assertThat(first.epoch()).isNotEqualTo(old.epoch());
        await(() -> live.events.size() == 11, "new epoch delivered");
        assertThat(live.gaps).singleElement().satisfies(g -> assertThat(g.cause()).isEqualTo(Gap.Cause.EPOCH_CHANGED));

        Recorder resumed = new Recorder();
        node("c").subscribe(P, "t", StartPosition.resume(Map.of("t", old), StartPosition.latest()), resumed);
        await(() -> resumed.events.size() == 1, "resume from the old epoch");
        assertThat(resumed.gaps).singleElement().satisfies(g -> assertThat(g.cause()).isEqualTo(Gap.Cause.EPOCH_CHANGED));
    }

    @Test
    void redisDownRefusesPublishesClearlyAndTheNodeRecoversByItself() throws Exception {
        Broker a = node("a");
        Broker b = node("b");
        Recorder live = new Recorder();
        subscribe(b, "t", StartPosition.latest(), live);
        a.publish(P, "t", text("before"));
        await(() -> live.events.size() == 1, "before");

        redis.stop();
        await(() -> !a.clusterStatus().healthy(), "unhealthy");
        assertThatThrownBy(() -> a.publish(P, "t", text("while down")))
                .isInstanceOfSatisfying(StreamsException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        assertThat(a.clusterStatus().detail()).contains("Redis");

        redis.start();
        await(() -> a.clusterStatus().healthy() && b.clusterStatus().healthy(), "healthy again");
        publishWhenAccepted(a, "t", "after");
        await(() -> live.events.size() == 2, "after");
        assertThat(live.payloads("t")).containsExactly("before", "after");
    }

    @Test
    void messagesDroppedByAFullInboxAreRefilledFromTheRecoveryStream() throws Exception {
        Broker a = node("a");
        Broker b = Broker.builder()
                .cluster(RedisClusterEngine.builder(redis.uri()).nodeName("tiny-inbox").inboxCapacity(1).build())
                .build();
        nodes.add(b);
        Recorder r = new Recorder();
        subscribe(b, "t", StartPosition.latest(), r);
        int published = 0;
        // Rounds until the inbox overflows once (on a fast machine the receiver keeps up with the first few).
        for (int round = 0; round < 200 && overflows(b) == 0; round++) {
            List<CompletableFuture<Event>> acks = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                acks.add(a.publishAsync(P, "t", "text/plain", text("e" + published++), Map.of()));
            }
            acks.forEach(CompletableFuture::join);
        }
        assertThat(overflows(b)).as("the burst overflowed the one-message inbox").isPositive();
        int total = published;
        await(() -> r.events.size() == total, "every event");
        assertThat(r.offsets("t")).isEqualTo(oneTo(total));
        assertThat(r.gaps).isEmpty();
        assertThat(b.clusterStatus().metrics().get("streams_cluster_refilled_total").longValue()).isPositive();
    }

    private static long overflows(Broker node) {
        return node.clusterStatus().metrics().get("streams_cluster_inbox_overflows_total").longValue();
    }

    /** Publishes, retrying while the engine's connection is still coming back. */
    private static Event publishWhenAccepted(Broker node, String topic, String payload) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                return node.publish(P, topic, text(payload));
            } catch (StreamsException e) {
                if (e.kind() != ErrorKind.UNAVAILABLE || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
