package dev.streams.core.internal;

import dev.streams.core.Event;
import dev.streams.core.HistoryLimits;
import dev.streams.core.TopicHistory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The default {@link TopicHistory}: a ring that grows on demand up to its event bound, so a quiet topic
 * costs a few slots rather than {@code maxEvents}. Not thread-safe; the broker serialises access.
 */
public final class RingHistory implements TopicHistory {
    private static final SecureRandom EPOCHS = new SecureRandom();
    private static final int INITIAL_CAPACITY = 8;

    private final HistoryLimits limits;
    private final long maxAgeNanos;
    private long epoch;
    private Event[] ring;
    private int head;
    private int size;
    private long bytes;
    private long lastOffset;
    private long lastTimestampNanos;

    public RingHistory(HistoryLimits limits) {
        this.limits = limits;
        this.maxAgeNanos = limits.maxAgeNanos();
        this.epoch = EPOCHS.nextLong() & Long.MAX_VALUE;
        this.ring = new Event[Math.min(INITIAL_CAPACITY, Math.max(1, limits.maxEvents()))];
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public long lastOffset() {
        return lastOffset;
    }

    @Override
    public long firstOffset() {
        return lastOffset - size + 1;
    }

    @Override
    public long lastTimestampNanos() {
        return lastTimestampNanos;
    }

    @Override
    public void append(Event event) {
        lastOffset = event.offset();
        lastTimestampNanos = event.timestampNanos();
        if (limits.maxEvents() == 0) {
            return;
        }
        if (size == limits.maxEvents()) {
            removeOldest();
        }
        if (size == ring.length) {
            grow();
        }
        ring[(head + size) % ring.length] = event;
        size++;
        bytes += event.sizeInBytes();
        while (bytes > limits.maxBytes() && size > 0) {
            removeOldest();
        }
    }

    @Override
    public void moveTo(long epoch, long lastOffset) {
        while (size > 0) {
            removeOldest();
        }
        this.epoch = epoch;
        this.lastOffset = lastOffset;
    }

    @Override
    public void expire(long nowNanos) {
        while (size > 0 && nowNanos - ring[head].timestampNanos() > maxAgeNanos) {
            removeOldest();
        }
    }

    @Override
    public List<Event> readAfter(long offset) {
        long from = Math.max(offset + 1, firstOffset());
        return copyFrom((int) Math.min(size, from - firstOffset()));
    }

    @Override
    public List<Event> readSince(long timestampNanos) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid).timestampNanos() < timestampNanos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return copyFrom(lo);
    }

    @Override
    public List<Event> readLast(int count) {
        return copyFrom(Math.max(0, size - count));
    }

    @Override
    public long retainedBytes() {
        return bytes;
    }

    @Override
    public boolean dropOldest() {
        if (size == 0) {
            return false;
        }
        removeOldest();
        return true;
    }

    private List<Event> copyFrom(int index) {
        List<Event> out = new ArrayList<>(size - index);
        for (int i = index; i < size; i++) {
            out.add(get(i));
        }
        return out;
    }

    private Event get(int index) {
        return ring[(head + index) % ring.length];
    }

    private void removeOldest() {
        bytes -= ring[head].sizeInBytes();
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
    }

    private void grow() {
        int capacity = (int) Math.min(limits.maxEvents(), (long) ring.length * 2);
        Event[] bigger = new Event[capacity];
        for (int i = 0; i < size; i++) {
            bigger[i] = get(i);
        }
        ring = bigger;
        head = 0;
    }
}
