package dev.streams.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker's side of the cluster seam, with an engine kept in this test: positions come from the engine,
 * holes the engine could not fill are told exactly, a new epoch is told, and a resume the node's ring does
 * not cover is served from the engine's recovery log.
 */
class ClusterSeamTest {
    private final ScriptedEngine engine = new ScriptedEngine();
    private final Broker broker = Broker.builder().cluster(engine).build();

    @AfterEach
    void close() {
        broker.close();
    }

    private static Event positioned(String topic, long epoch, long offset) {
        return new Event("p", topic, epoch, offset, System.currentTimeMillis() * 1_000_000L + offset, ("e" + offset).getBytes(UTF_8),
                "text/plain", Map.of());
    }

    @Test
    void publishGoesThroughTheEngineAndComesBackAsItsPosition() {
        Recorder r = new Recorder();
        broker.subscribe("p", "t", StartPosition.latest(), r);
        Event stored = broker.publish("p", "t", "hello".getBytes(UTF_8));
        assertThat(stored.position()).isEqualTo(new Position(7, 1));
        r.awaitEvents(1);
        assertThat(r.events.get(0).position()).isEqualTo(new Position(7, 1));
    }

    @Test
    void aHoleIsReportedForRefillThenToldExactlyWhenItCannotBeFilled() {
        Recorder r = new Recorder();
        broker.subscribe("p", "t.*", StartPosition.latest(), r);
        assertThat(engine.node.apply(positioned("t.a", 7, 1), false, false)).isZero();
        assertThat(engine.node.apply(positioned("t.a", 7, 2), false, false)).isZero();
        assertThat(engine.node.apply(positioned("t.a", 7, 2), false, false)).as("a duplicate is skipped").isZero();
        assertThat(engine.node.apply(positioned("t.a", 7, 6), false, false)).as("first missing").isEqualTo(3);
        assertThat(engine.node.apply(positioned("t.a", 7, 6), true, false)).isZero();
        r.awaitEvents(3);
        assertThat(r.events).extracting(Event::offset).containsExactly(1L, 2L, 6L);
        assertThat(r.gaps).containsExactly(new Gap("t.a", 7, 3, Gap.Cause.CLUSTER_MISSED));
    }

    @Test
    void aNewEpochFromTheAuthorityIsToldToLiveSubscribers() {
        Recorder r = new Recorder();
        broker.subscribe("p", "t", StartPosition.latest(), r);
        engine.node.apply(positioned("t", 7, 1), false, false);
        engine.node.apply(positioned("t", 9, 1), false, false);
        r.awaitEvents(2);
        assertThat(r.gaps).containsExactly(new Gap("t", 9, -1, Gap.Cause.EPOCH_CHANGED));
        assertThat(broker.latestPosition("p", "t")).contains(new Position(9, 1));
    }

    @Test
    void aResumeTheRingDoesNotCoverIsServedFromTheRecoveryLog() {
        for (long offset = 1; offset <= 10; offset++) {
            engine.log.add(positioned("t", 7, offset));
        }
        // This node first sees the topic at offset 11: its ring starts there.
        engine.node.apply(positioned("t", 7, 11), false, false);
        Recorder r = new Recorder();
        broker.subscribe("p", "t", StartPosition.resume(Map.of("t", new Position(7, 4)), StartPosition.latest()), r);
        r.awaitEvents(7);
        assertThat(r.events).extracting(Event::offset).containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(r.gaps).isEmpty();
    }

    @Test
    void whatTheLogNoLongerHasIsAnExactGapOnResume() {
        for (long offset = 8; offset <= 10; offset++) {
            engine.log.add(positioned("t", 7, offset));
        }
        engine.node.apply(positioned("t", 7, 11), false, false);
        Recorder r = new Recorder();
        broker.subscribe("p", "t", StartPosition.resume(Map.of("t", new Position(7, 4)), StartPosition.latest()), r);
        r.awaitEvents(4);
        assertThat(r.events).extracting(Event::offset).containsExactly(8L, 9L, 10L, 11L);
        assertThat(r.gaps).singleElement().satisfies(g -> assertThat(g.missed()).isEqualTo(3));
    }

    @Test
    void aTopicNewToThisNodeStartsWhereTheAuthorityStands() {
        engine.authority = Optional.of(new Position(7, 41));
        Recorder r = new Recorder();
        broker.subscribe("p", "fresh", StartPosition.latest(), r);
        assertThat(broker.latestPosition("p", "fresh")).contains(new Position(7, 41));
        engine.node.apply(positioned("fresh", 7, 42), false, false);
        r.awaitEvents(1);
        assertThat(r.gaps).isEmpty();
    }

    /** One node's engine: positions in memory, delivery straight back to the broker, a log of recent events. */
    private static final class ScriptedEngine implements ClusterEngine {
        Node node;
        Optional<Position> authority = Optional.empty();
        final List<Event> log = new ArrayList<>();
        private long next = 1;

        @Override
        public void start(Node node) {
            this.node = node;
        }

        @Override
        public synchronized CompletableFuture<Event> publish(Event e) {
            Event positioned = new Event(e.project(), e.topic(), 7, next++, e.timestampNanos(), e.payload(),
                    e.contentType(), e.attributes());
            node.apply(positioned, false, true);
            return CompletableFuture.completedFuture(positioned);
        }

        @Override
        public Optional<Position> position(String project, String topic) {
            return authority;
        }

        @Override
        public List<Event> recover(String project, String topic, long epoch, long from, long to) {
            return log.stream().filter(e -> e.topic().equals(topic) && e.epoch() == epoch
                    && e.offset() >= from && e.offset() <= to).toList();
        }

        @Override
        public HistoryStore.Status status() {
            return HistoryStore.Status.OK;
        }

        @Override
        public void close() {
        }
    }
}
