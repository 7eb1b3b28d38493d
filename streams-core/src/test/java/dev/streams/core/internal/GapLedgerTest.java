package dev.streams.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.core.Event;
import dev.streams.core.Gap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GapLedgerTest {
    private static Event event(String topic, long epoch, long offset) {
        return new Event("p", topic, epoch, offset, offset, new byte[0], "text/plain", Map.of());
    }

    @Test
    void dropsOfOneTopicAddUpIntoOneGap() {
        GapLedger ledger = new GapLedger();
        String topic = "a";
        for (int i = 1; i <= 5; i++) {
            ledger.dropped(event(topic, 7, i));
        }
        assertThat(ledger.poll()).isEqualTo(new Gap("a", 7, 5, Gap.Cause.QUEUE_OVERFLOW));
        assertThat(ledger.poll()).isNull();
    }

    @Test
    void interleavedTopicsKeepOneGapEachInOrderOfFirstHole() {
        GapLedger ledger = new GapLedger();
        ledger.dropped(event("a", 1, 1));
        ledger.dropped(event("b", 2, 1));
        ledger.dropped(event("a", 1, 2));
        assertThat(ledger.poll()).isEqualTo(new Gap("a", 1, 2, Gap.Cause.QUEUE_OVERFLOW));
        assertThat(ledger.poll()).isEqualTo(new Gap("b", 2, 1, Gap.Cause.QUEUE_OVERFLOW));
    }

    @Test
    void anotherCauseOrEpochReplacesAndUnknownCountsStayUnknown() {
        GapLedger ledger = new GapLedger();
        ledger.add(new Gap("a", 1, 3, Gap.Cause.HISTORY_EXPIRED));
        ledger.add(new Gap("a", 1, 4, Gap.Cause.HISTORY_EXPIRED));
        assertThat(ledger.poll()).isEqualTo(new Gap("a", 1, 7, Gap.Cause.HISTORY_EXPIRED));
        ledger.add(new Gap("a", 1, 3, Gap.Cause.HISTORY_EXPIRED));
        ledger.add(new Gap("a", 2, -1, Gap.Cause.EPOCH_CHANGED));
        assertThat(ledger.poll()).isEqualTo(new Gap("a", 2, -1, Gap.Cause.EPOCH_CHANGED));
        ledger.add(new Gap("b", 2, -1, Gap.Cause.EPOCH_CHANGED));
        ledger.add(new Gap("b", 2, 5, Gap.Cause.EPOCH_CHANGED));
        assertThat(ledger.poll().missed()).isEqualTo(-1);
    }

    @Test
    void clearForgetsPendingGapsAndTheCurrentRun() {
        GapLedger ledger = new GapLedger();
        ledger.add(new Gap("a", 1, 3, Gap.Cause.HISTORY_EXPIRED));
        ledger.dropped(event("b", 1, 1));
        ledger.clear();
        assertThat(ledger.poll()).isNull();
    }
}
