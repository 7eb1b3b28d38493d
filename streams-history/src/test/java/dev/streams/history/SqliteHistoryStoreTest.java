package dev.streams.history;

import dev.streams.devices.DeviceIngestor;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.core.Recorder;
import dev.streams.core.Broker;
import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.HistoryLimits;
import dev.streams.core.Position;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
import dev.streams.core.HistoryStore;
import dev.streams.core.Subscription;
import dev.streams.core.TopicHistory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store under a real broker: restarts, crashes, reads past the hot ring, retention, faults. */
class SqliteHistoryStoreTest {
    @TempDir
    Path dir;

    private static final HistoryLimits SMALL_HOT = new HistoryLimits(4, 1 << 20, Duration.ofHours(1));

    private static Event publish(Broker broker, String topic, String text) {
        return broker.publish("p", topic, "application/json", ("{\"v\":\"" + text + "\"}").getBytes(UTF_8),
                Map.of(DeviceIngestor.DEVICE_ID, "d1"));
    }

    private static void awaitStored(SqlHistoryStore store, long count) {
        Recorder.await(() -> store.status().metrics().get("streams_history_stored_total").longValue() >= count,
                () -> "stored " + store.status());
    }

    @Test
    void aCleanRestartKeepsEpochsAndOffsetsAndResumesWithNoGapOrDuplicate() {
        Position seen;
        long epoch;
        try (SqlHistoryStore store = SqlHistoryStore.sqlite(dir).hotCache(SMALL_HOT).build()) {
            Broker broker = Broker.builder().historyStore(store).build();
            Event last = null;
            for (int i = 1; i <= 10; i++) {
                last = publish(broker, "devices.d1.stream", "a" + i);
            }
            epoch = last.epoch();
            seen = new Position(epoch, 3);
            broker.close();
        }
        try (SqlHistoryStore store = SqlHistoryStore.sqlite(dir).hotCache(SMALL_HOT).build()) {
            assertThat(store.recoveredFromCrash()).isFalse();
            Broker broker = Broker.builder().historyStore(store).build();
            assertThat(broker.latestPosition("p", "devices.d1.stream")).contains(new Position(epoch, 10));
            Recorder resumed = new Recorder();
            broker.subscribe("p", "devices.*.stream", StartPosition.resume(Map.of("devices.d1.stream", seen),
                    StartPosition.latest()), resumed);
            Event next = publish(broker, "devices.d1.stream", "a11");
            assertThat(next.epoch()).isEqualTo(epoch);
            assertThat(next.offset()).isEqualTo(11);
            resumed.awaitEvents(8);
            assertThat(resumed.gaps).isEmpty();
            assertThat(resumed.events.stream().map(Event::offset).toList()).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
            assertThat(resumed.events.get(0).attributes()).containsEntry(DeviceIngestor.DEVICE_ID, "d1");
            assertThat(resumed.payloads().get(0)).isEqualTo("{\"v\":\"a4\"}");
            broker.close();
        }
    }

    @Test
    void readsOlderThanTheHotRingComeFromTheDatabaseInOrder() {
        try (SqlHistoryStore store = SqlHistoryStore.sqlite(dir).hotCache(SMALL_HOT).readLimit(50).build()) {
            Broker broker = Broker.builder().historyStore(store).build();
            for (int i = 1; i <= 100; i++) {
                publish(broker, "t", Integer.toString(i));
            }
            awaitStored(store, 100);
            Recorder last20 = new Recorder();
            broker.subscribe("p", "t", StartPosition.last(20), last20);
            last20.awaitEvents(20);
            assertThat(last20.events.get(0).offset()).isEqualTo(81);
            // A client far behind gets the newest readLimit stored events, the ring, and an exact gap for the rest.
            Recorder behind = new Recorder();
            broker.subscribe("p", "t", StartPosition.after(new Position(last20.events.get(0).epoch(), 10)), behind);
            behind.awaitEvents(54);
            assertThat(behind.gaps).containsExactly(new Gap("t", last20.events.get(0).epoch(), 36, Gap.Cause.QUEUE_OVERFLOW));
            assertThat(behind.events.get(0).offset()).isEqualTo(47);
            assertThat(behind.events.stream().map(Event::offset).toList()).isSorted().doesNotHaveDuplicates();
            broker.close();
        }
    }

    @Test
    void aResumeThatReadsTheDatabaseHoldsNoTopicLockSoPublishesGoOn() throws Exception {
        replayReadsWithoutTheLock("t", first -> StartPosition.after(new Position(first.get(9).epoch(), 10)));
    }

    @Test
    void aPatternResumingFromTheDatabaseReadsItBeforeItRegistersAndHoldsNoTopicLock() throws Exception {
        replayReadsWithoutTheLock("*", first -> StartPosition.resume(Map.of("t", new Position(first.get(9).epoch(), 10)),
                StartPosition.latest()));
    }

    @Test
    void aReplaySinceATimeThatReadsTheDatabaseHoldsNoTopicLock() throws Exception {
        replayReadsWithoutTheLock("t", first -> StartPosition.since(first.get(10).timestamp()));
    }

    @Test
    void theLastEventsThatTheDatabaseHoldsAreReadWithoutTheTopicLock() throws Exception {
        // At the join, 60 events: the last 50 are 11..60 (ten of them published while the read waited).
        replayReadsWithoutTheLock("t", first -> StartPosition.last(50));
    }

    /**
     * 50 events stored in topic t (the ring keeps 4), then a subscription to {@code pattern} from {@code start}
     * whose store read is held open while ten more are published: the publishes complete, and the subscriber
     * gets 11..61 exactly.
     */
    private void replayReadsWithoutTheLock(String pattern, java.util.function.Function<List<Event>, StartPosition> start)
            throws Exception {
        try (SqlHistoryStore store = SqlHistoryStore.sqlite(dir).hotCache(SMALL_HOT).build()) {
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch mayAnswer = new CountDownLatch(1);
            HistoryStore slowReads = new HistoryStore() {
                @Override
                public TopicHistory open(String project, String topic) {
                    TopicHistory real = store.open(project, topic);
                    return (TopicHistory) Proxy.newProxyInstance(TopicHistory.class.getClassLoader(),
                            new Class<?>[] {TopicHistory.class}, (proxy, method, args) -> {
                                if (method.getName().startsWith("readStored")) {
                                    reading.countDown();
                                    mayAnswer.await(10, TimeUnit.SECONDS);
                                }
                                try {
                                    return method.invoke(real, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                }

                @Override
                public boolean readsBlock() {
                    return true;
                }
            };
            Broker broker = Broker.builder().historyStore(slowReads).build();
            List<Event> first = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                first.add(publish(broker, "t", Integer.toString(i)));
            }
            awaitStored(store, 50);
            Recorder resumed = new Recorder();
            CompletableFuture<Subscription> subscribing = CompletableFuture.supplyAsync(
                    () -> broker.subscribe("p", pattern, start.apply(first), resumed));
            assertThat(reading.await(10, TimeUnit.SECONDS)).as("the replay reads the database").isTrue();
            // While that read waits, the topic takes publishes: its lock is free.
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                for (int i = 51; i <= 60; i++) {
                    publish(broker, "t", Integer.toString(i));
                }
            });
            publishing.get(5, TimeUnit.SECONDS);
            mayAnswer.countDown();
            subscribing.get(10, TimeUnit.SECONDS);
            publish(broker, "t", "61");
            resumed.awaitEvents(51);
            assertThat(resumed.events.stream().map(Event::offset).toList())
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(11, 61).boxed().toList());
            assertThat(resumed.gaps).isEmpty();
            broker.close();
        }
    }

    @Test
    void afterACrashEveryTopicStartsANewEpochAndAResumeHearsOfItThenGetsWhatWasStored() throws Exception {
        Path crashed = dir.resolve("crashed");
        Position seen;
        try (SqlHistoryStore store = SqlHistoryStore.sqlite(dir.resolve("live")).hotCache(SMALL_HOT).build()) {
            Broker broker = Broker.builder().historyStore(store).build();
            Event first = publish(broker, "t", "1");
            for (int i = 2; i <= 6; i++) {
                publish(broker, "t", Integer.toString(i));
            }
            awaitStored(store, 6);
            seen = first.position();
            // What a kill -9 leaves: the files as they are while the store runs, never marked clean.
            Files.createDirectories(crashed);
            for (String file : List.of("streams.db", "streams.db-wal", "streams.db-shm")) {
                Path from = dir.resolve("live").resolve(file);
                if (Files.exists(from)) {
                    Files.copy(from, crashed.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            broker.close();
        }
        try (SqlHistoryStore store = SqlHistoryStore.sqlite(crashed).hotCache(SMALL_HOT).build()) {
            assertThat(store.recoveredFromCrash()).isTrue();
            Broker broker = Broker.builder().historyStore(store).build();
            Recorder resumed = new Recorder();
            broker.subscribe("p", "t", StartPosition.after(seen), resumed);
            Event after = publish(broker, "t", "7");
            assertThat(after.epoch()).isNotEqualTo(seen.epoch());
            assertThat(after.offset()).isEqualTo(1);
            resumed.awaitEvents(6);
            assertThat(resumed.gaps).singleElement().satisfies(g -> {
                assertThat(g.cause()).isEqualTo(Gap.Cause.EPOCH_CHANGED);
                assertThat(g.missed()).isEqualTo(-1);
            });
            assertThat(resumed.payloads()).containsExactly("{\"v\":\"2\"}", "{\"v\":\"3\"}", "{\"v\":\"4\"}",
                    "{\"v\":\"5\"}", "{\"v\":\"6\"}", "{\"v\":\"7\"}");
            broker.close();
        }
    }

    @Test
    void retentionDeletesAndAResumeBeforeWhatIsKeptGetsAnExactGap() {
        try (SqlHistoryStore store = SqlHistoryStore.sqlite(dir).hotCache(SMALL_HOT)
                .retention(new Retention(Duration.ofDays(1), 1L << 30, 30)).retentionInterval(Duration.ofHours(1))
                .build()) {
            Broker broker = Broker.builder().historyStore(store).build();
            List<Event> events = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                events.add(publish(broker, "t", Integer.toString(i)));
            }
            awaitStored(store, 50);
            store.enforceRetention();
            assertThat(store.status().metrics().get("streams_history_expired_total").longValue()).isEqualTo(20);
            Recorder resumed = new Recorder();
            broker.subscribe("p", "t", StartPosition.after(events.get(4).position()), resumed);
            resumed.awaitEvents(30);
            assertThat(resumed.gaps).containsExactly(new Gap("t", events.get(0).epoch(), 15, Gap.Cause.HISTORY_EXPIRED));
            assertThat(resumed.events.get(0).offset()).isEqualTo(21);
            broker.close();
        }
    }

    @Test
    void aFullDatabaseRefusesPublishesClearlyWhileLiveDeliveryGoesOn() {
        try (SqlHistoryStore store = SqlHistoryStore.sqlite(dir).maxDatabaseBytes(256 * 1024).queueCapacity(200)
                .closeTimeout(Duration.ofMillis(200)).build()) {
            Broker broker = Broker.builder().historyStore(store).build();
            Recorder live = new Recorder();
            broker.subscribe("p", "t", StartPosition.latest(), live);
            byte[] payload = new byte[2000];
            StreamsException refused = null;
            int accepted = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // Publish until the store, not just a busy writer, refuses: the database filled up.
            while (store.status().healthy() && System.nanoTime() < deadline) {
                try {
                    broker.publish("p", "t", payload);
                    accepted++;
                } catch (StreamsException e) {
                    refused = e;
                    Recorder.await(() -> true, () -> "");
                }
            }
            assertThat(store.status().healthy()).isFalse();
            assertThat(store.status().detail()).contains("full");
            try {
                for (int i = 0; i < 1000; i++) {
                    broker.publish("p", "t", payload);
                    accepted++;
                }
            } catch (StreamsException e) {
                refused = e;
            }
            assertThat(refused).isNotNull();
            assertThat(refused.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
            assertThat(refused.getMessage()).contains("full");
            int acceptedCount = accepted;
            Recorder.await(() -> live.events.size() == acceptedCount, () -> "live delivery of every accepted event");
            broker.close();
        }
    }

    @Test
    void oneStorePerDataDirectoryAndTheRefusalNamesTheHolder() {
        try (SqlHistoryStore first = SqlHistoryStore.sqlite(dir).build()) {
            assertThatThrownBy(() -> SqlHistoryStore.sqlite(dir).build()).isInstanceOf(HistoryStoreException.class)
                    .hasMessageContaining("in use by another server")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining(dir.toAbsolutePath().toString());
            assertThat(first.status().healthy()).as("the holder is untouched").isTrue();
        }
        // Closed: the directory is free again.
        try (SqlHistoryStore again = SqlHistoryStore.sqlite(dir).build()) {
            assertThat(again.status().healthy()).isTrue();
        }
    }

    @Test
    void anUnusableDatabaseFailsAtStartWithTheReason() throws Exception {
        Path corrupt = dir.resolve("corrupt");
        Files.createDirectories(corrupt);
        Files.write(corrupt.resolve("streams.db"), "this is not a database, just some bytes".repeat(200).getBytes(UTF_8));
        assertThatThrownBy(() -> SqlHistoryStore.sqlite(corrupt).build()).isInstanceOf(HistoryStoreException.class)
                .hasMessageContaining(corrupt.resolve("streams.db").toString()).hasMessageContaining("not a database");

        Path readOnly = dir.resolve("read-only");
        Files.createDirectories(readOnly);
        readOnly.toFile().setWritable(false, false);
        try {
            // As root the directory stays writable; the check is meaningful for ordinary users only.
            if (!Files.isWritable(readOnly)) {
                assertThatThrownBy(() -> SqlHistoryStore.sqlite(readOnly).build()).isInstanceOf(HistoryStoreException.class)
                        .hasMessageContaining("cannot open the history database");
            }
        } finally {
            readOnly.toFile().setWritable(true, false);
        }

        // Another process holding the database locked: the store gives up after the busy timeout, saying so.
        Path locked = dir.resolve("locked");
        SqlHistoryStore.sqlite(locked).build().close();
        try (java.sql.Connection holder = java.sql.DriverManager.getConnection("jdbc:sqlite:" + locked.resolve("streams.db"));
             java.sql.Statement s = holder.createStatement()) {
            s.execute("PRAGMA locking_mode=EXCLUSIVE");
            s.execute("BEGIN EXCLUSIVE");
            assertThatThrownBy(() -> SqlHistoryStore.sqlite(locked).lockTimeout(Duration.ofMillis(300)).build())
                    .isInstanceOf(HistoryStoreException.class).hasMessageContaining("locked");
        }

        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> SqlHistoryStore.sqlite(file).build()).isInstanceOf(HistoryStoreException.class)
                .hasMessageContaining("cannot create the data directory");
    }
}
