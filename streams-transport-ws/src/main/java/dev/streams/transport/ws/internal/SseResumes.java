package dev.streams.transport.ws.internal;

import dev.streams.core.Event;
import dev.streams.core.Position;
import dev.streams.core.StartPosition;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exact resume for Server-Sent Event streams of a pattern (a Golioth project stream, a native SSE pattern).
 * An EventSource sends back only the last id it saw, and one cursor cannot say where each topic of a pattern
 * stood; so each such stream keeps a small server-side record, and its ids are {@code <record>.<seq>}. The
 * record holds the cursor per topic delivered and a ring of the last deliveries, enough to rebuild the cursors
 * as of any recent id. A reconnect within {@code ttl} resumes every topic exactly; one whose record is gone
 * (expired, evicted, another server, a restart) starts live and is told so with a gap event. Records are
 * bounded in number and in size (a ring of {@link #RING} deliveries each).
 */
public final class SseResumes {
    static final int RING = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int maxRecords;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Record> records = new ConcurrentHashMap<>();

    public SseResumes(int maxRecords, java.time.Duration ttl) {
        this.maxRecords = maxRecords;
        this.ttlNanos = ttl.toNanos();
    }

    /** Where a stream starts, the ids it gives its events, and whether its resume point was lost. */
    public record Start(StartPosition position, SseIds ids, Record record, boolean resumeLost) {
    }

    /**
     * Starts a stream of {@code pattern}: resumes from {@code lastEventId} when it names a live record of the
     * same project and pattern, otherwise starts from {@code fresh} (or live, reporting the loss, when a
     * resume was asked for and cannot be honoured).
     */
    public Start start(String project, String pattern, String lastEventId, StartPosition fresh) {
        Map<String, Position> positions = null;
        Instant othersSince = Instant.now();
        if (lastEventId != null && !lastEventId.isEmpty()) {
            Record old = find(lastEventId, project, pattern);
            if (old != null) {
                synchronized (old) {
                    positions = old.positionsAt(seqOf(lastEventId));
                    othersSince = old.started;
                }
            }
            if (positions == null) {
                Record record = open(project, pattern, Map.of(), Instant.now());
                return new Start(StartPosition.latest(), record, record, true);
            }
        }
        Record record = open(project, pattern, positions == null ? Map.of() : positions, othersSince);
        StartPosition position = positions == null ? fresh
                : StartPosition.resume(positions, StartPosition.since(othersSince));
        return new Start(position, record, record, false);
    }

    /** The stream of {@code record} ended: its record stays resumable for the ttl. */
    public void closed(Record record) {
        record.closedAtNanos = System.nanoTime();
    }

    private Record find(String id, String project, String pattern) {
        int dot = id.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        Record record = records.get(id.substring(0, dot));
        if (record == null || !record.project.equals(project) || !record.pattern.equals(pattern)) {
            return null;
        }
        return record;
    }

    private static long seqOf(String id) {
        try {
            return Long.parseLong(id.substring(id.lastIndexOf('.') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Record open(String project, String pattern, Map<String, Position> seed, Instant started) {
        trim();
        byte[] key = new byte[12];
        RANDOM.nextBytes(key);
        Record record = new Record(Base64.getUrlEncoder().withoutPadding().encodeToString(key), project, pattern,
                seed, started);
        records.put(record.key, record);
        return record;
    }

    /** Drops expired records, then, over the bound, the longest-closed ones. */
    private void trim() {
        long now = System.nanoTime();
        records.values().removeIf(r -> r.closedAtNanos != 0 && now - r.closedAtNanos > ttlNanos);
        if (records.size() >= maxRecords) {
            records.values().stream().filter(r -> r.closedAtNanos != 0)
                    .sorted(Comparator.comparingLong(r -> r.closedAtNanos))
                    .limit(records.size() - maxRecords + 1L)
                    .forEach(r -> records.remove(r.key, r));
        }
    }

    /** Records held now. */
    public int size() {
        return records.size();
    }

    /** One pattern stream's resume state; its ids are {@code <key>.<seq>}. Guarded by its monitor. */
    public static final class Record implements SseIds {
        final String key;
        final String project;
        final String pattern;
        final Instant started;
        private final Map<String, Position> cursors;
        private final long[] seqs = new long[RING];
        private final String[] topics = new String[RING];
        private final Position[] previous = new Position[RING];
        private int count;
        private long seq;
        volatile long closedAtNanos;

        Record(String key, String project, String pattern, Map<String, Position> seed, Instant started) {
            this.key = key;
            this.project = project;
            this.pattern = pattern;
            this.started = started;
            this.cursors = new HashMap<>(seed);
        }

        @Override
        public synchronized String idFor(Event event) {
            seq++;
            int slot = (int) (seq % RING);
            seqs[slot] = seq;
            topics[slot] = event.topic();
            previous[slot] = cursors.put(event.topic(), event.position());
            count = Math.min(RING, count + 1);
            return key + '.' + seq;
        }

        /** Each topic's cursor as it was right after event {@code at}; null when that is out of reach. */
        Map<String, Position> positionsAt(long at) {
            if (at < 0 || at > seq || at < seq - count) {
                return null;
            }
            Map<String, Position> out = new HashMap<>(cursors);
            for (long s = seq; s > at; s--) {
                int slot = (int) (s % RING);
                if (previous[slot] == null) {
                    out.remove(topics[slot]);
                } else {
                    out.put(topics[slot], previous[slot]);
                }
            }
            return out;
        }
    }

}
