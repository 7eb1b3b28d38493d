package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A failure that repeats is a line at its start, a summary per interval and a line at its end. */
class RepeatedFailureLogTest {
    private Instant now = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void threeDevicesFailingEverySecondForAMinuteAreThreeLines() {
        List<String> lines = new ArrayList<>();
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        RepeatedFailureLog log = new RepeatedFailureLog("sending readings", Duration.ofSeconds(30), clock,
                line -> lines.add("WARN " + line), line -> lines.add("INFO " + line));
        log.succeeded();
        assertThat(lines).isEmpty();
        for (int second = 0; second < 60; second++) {
            for (int device = 0; device < 3; device++) {
                log.failed(new IllegalStateException("the cluster did not take the publish; try again"));
            }
            now = now.plusSeconds(1);
        }
        log.succeeded();
        log.succeeded();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("WARN sending readings failed: the cluster did not take the publish");
        assertThat(lines.get(1)).startsWith("WARN sending readings still failing: 90 more failures in the last 30 s");
        assertThat(lines.get(2)).isEqualTo("INFO sending readings works again after 180 failures over 60 s");
    }
}
