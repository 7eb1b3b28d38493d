package dev.streams.core.internal;

import dev.streams.core.Event;
import dev.streams.core.Gap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The holes a subscription owes its listener, one pending {@link Gap} per topic, oldest first. Gaps of the
 * same topic, cause and epoch add up until delivered; a gap of another cause or epoch replaces the pending
 * one (the newer hole is what the next events follow). Overflow drops come in runs on one topic; counting a
 * run in three fields (the topic compared by reference, as events of a topic share its name) keeps an
 * overloaded subscriber from paying a map update per drop. Not thread-safe: the subscription's monitor
 * guards it.
 */
final class GapLedger {
    /** Allocated with the first gap: most subscriptions never have one. */
    private Map<String, Gap> pending;
    private String dropTopic;
    private long dropEpoch;
    private long dropRun;

    /** Counts one event dropped from the queue. */
    void dropped(Event old) {
        if (old.topic() != dropTopic || old.epoch() != dropEpoch) {
            endDropRun();
            dropTopic = old.topic();
            dropEpoch = old.epoch();
        }
        dropRun++;
    }

    /** Turns the current run of drops into a pending gap; call before anything that must follow the drops. */
    void endDropRun() {
        if (dropRun > 0) {
            add(new Gap(dropTopic, dropEpoch, dropRun, Gap.Cause.QUEUE_OVERFLOW));
            dropRun = 0;
            dropTopic = null;
        }
    }

    /** Records a hole; same-topic, same-cause, same-epoch holes add up (an unknown count stays unknown). */
    void add(Gap gap) {
        if (pending == null) {
            pending = new LinkedHashMap<>();
        }
        Gap previous = pending.get(gap.topic());
        if (previous != null && previous.addsUpWith(gap)) {
            pending.put(gap.topic(), previous.plus(gap));
        } else {
            pending.remove(gap.topic());
            pending.put(gap.topic(), gap);
        }
    }

    /** The oldest pending gap, removed; null when none (after ending the current drop run). */
    Gap poll() {
        endDropRun();
        if (pending == null) {
            return null;
        }
        Iterator<Gap> first = pending.values().iterator();
        if (!first.hasNext()) {
            return null;
        }
        Gap gap = first.next();
        first.remove();
        return gap;
    }

    /** Whether nothing is owed: no pending gap and no run of drops. */
    boolean isEmpty() {
        return dropRun == 0 && (pending == null || pending.isEmpty());
    }

    /** Forgets everything owed (the subscription ended without draining). */
    void clear() {
        pending = null;
        dropRun = 0;
        dropTopic = null;
    }
}
