package dev.streams.transport.ws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.auth.Principal;
import dev.streams.auth.Scope;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When a session warns that its credential expires, on the event loop's clock (frozen here). */
class SessionCredentialTest {
    private static Principal expiringIn(Duration life) {
        return new Principal(Principal.Kind.STREAMS_TOKEN, "t", "p", Set.of(Scope.SUBSCRIBE), List.of(">"),
                Instant.now().plus(life));
    }

    private static List<String> run(Duration life, Duration lead, long... checkpointsSeconds) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        List<String> told = new ArrayList<>();
        new SessionCredential().adoptUntilExpiry(expiringIn(life), channel.eventLoop(), lead,
                at -> told.add("expiring"), () -> told.add("expired"));
        List<String> seen = new ArrayList<>();
        long now = 0;
        for (long checkpoint : checkpointsSeconds) {
            channel.advanceTimeBy(checkpoint - now, TimeUnit.SECONDS);
            now = checkpoint;
            channel.runScheduledPendingTasks();
            seen.add(checkpoint + "s:" + String.join("+", told));
        }
        return seen;
    }

    @Test
    void aLongCredentialIsWarnedTheLeadBeforeItsEnd() {
        assertThat(run(Duration.ofSeconds(100), Duration.ofSeconds(30), 69, 71, 101))
                .containsExactly("69s:", "71s:expiring", "101s:expiring+expired");
    }

    @Test
    void aCredentialShorterThanTheLeadIsWarnedHalfwayNotAtOnce() {
        assertThat(run(Duration.ofSeconds(10), Duration.ofSeconds(30), 0, 4, 6, 11))
                .containsExactly("0s:", "4s:", "6s:expiring", "11s:expiring+expired");
    }

    @Test
    void noLeadNoWarning() {
        assertThat(run(Duration.ofSeconds(10), Duration.ZERO, 11)).containsExactly("11s:expired");
    }
}
