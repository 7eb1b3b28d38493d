package dev.streams.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.core.ClusterEngine;
import dev.streams.core.Event;
import dev.streams.core.HistoryStore;
import dev.streams.core.Position;
import dev.streams.core.TopicHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Holes in a node's own history are filled from the cluster engine's recovery log, wherever they fall. */
class ClusterTopicHistoryTest {
    private static Event event(long offset) {
        return new Event("p", "t", 7, offset, offset, new byte[0], "text/plain", Map.of());
    }

    /** A node history with a hole: it holds 1-4 and 9-10 (it was down for 5-8), and knows of 12. */
    private final List<Event> local = new ArrayList<>(List.of(event(1), event(2), event(3), event(4), event(9),
            event(10)));
    private final List<Event> log = new ArrayList<>();
    private int logReads;

    private List<Long> offsetsAfter(long offset) {
        TopicHistory node = new ClusterTopicHistory(new Holey(), new Log(), "p", "t", null);
        return node.readAfter(offset).stream().map(Event::offset).toList();
    }

    @Test
    void holesAnywhereAreFilledFromTheLog() {
        for (long o = 1; o <= 12; o++) {
            log.add(event(o));
        }
        assertThat(offsetsAfter(2)).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
    }

    @Test
    void whatTheLogNoLongerHasStaysAHoleForTheReplayToReport() {
        for (long o = 7; o <= 12; o++) {
            log.add(event(o));
        }
        assertThat(offsetsAfter(2)).containsExactly(3L, 4L, 7L, 8L, 9L, 10L, 11L, 12L);
    }

    @Test
    void noHoleMeansNoReadOfTheLog() {
        local.clear();
        local.addAll(List.of(event(11), event(12)));
        assertThat(offsetsAfter(10)).containsExactly(11L, 12L);
        assertThat(logReads).isZero();
    }

    private final class Holey implements TopicHistory {
        @Override
        public long epoch() {
            return 7;
        }

        @Override
        public long lastOffset() {
            return 12;
        }

        @Override
        public long firstOffset() {
            return local.isEmpty() ? 13 : local.get(0).offset();
        }

        @Override
        public long lastTimestampNanos() {
            return 12;
        }

        @Override
        public void append(Event e) {
            local.add(e);
        }

        @Override
        public void expire(long nowNanos) {
        }

        @Override
        public List<Event> readAfter(long offset) {
            return local.stream().filter(e -> e.offset() > offset).toList();
        }

        @Override
        public List<Event> readSince(long timestampNanos) {
            return List.of();
        }

        @Override
        public List<Event> readLast(int count) {
            return List.of();
        }
    }

    private final class Log implements ClusterEngine {
        @Override
        public void start(Node node) {
        }

        @Override
        public CompletableFuture<Event> publish(Event event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Position> position(String project, String topic) {
            return Optional.empty();
        }

        @Override
        public List<Event> recover(String project, String topic, long epoch, long from, long to) {
            if (from > to) {
                throw new AssertionError("asked for an empty range");
            }
            logReads++;
            return log.stream().filter(e -> e.offset() >= from && e.offset() <= to).toList();
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
