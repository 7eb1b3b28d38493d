package dev.streams.cluster.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.core.Broker;
import dev.streams.core.Gap;
import dev.streams.core.Position;
import dev.streams.core.Recorder;
import dev.streams.core.StartPosition;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What one project may keep in Redis is bounded in bytes, not only in events per topic: past the bound its largest
 * recovery stream gives up its oldest events, which a resuming client is told of as a gap; other projects keep
 * theirs.
 */
class RecoveryBoundsTest {
    private static final int BODY = 1000;

    private static long number(RedisServer redis, String command) throws Exception {
        String reply = redis.command(command);
        assertThat(reply).as(command).startsWith(":");
        return Long.parseLong(reply.substring(1));
    }

    @Test
    void aProjectsRecoveryBytesStayWithinItsBoundAndOthersKeepTheirs() throws Exception {
        try (RedisServer redis = new RedisServer()) {
            Broker node = Broker.builder().cluster(RedisClusterEngine.builder(redis.uri()).nodeName("a")
                    .recoveryEvents(40).maxRecoveryBytesPerProject(20 * BODY).timeout(Duration.ofSeconds(2)).build())
                    .build();
            byte[] body = new byte[BODY];
            Arrays.fill(body, (byte) 'x');
            Position first = null;
            for (int i = 0; i < 60; i++) {
                var event = node.publish("greedy", "t" + (i % 3), body);
                if (i == 0) {
                    first = event.position();
                }
            }
            node.publish("modest", "t", body);
            node.publish("modest", "t", body);

            long held = number(redis, "INCRBY streams:{greedy}:bytes 0");
            long events = number(redis, "XLEN streams:{greedy}:s:t0") + number(redis, "XLEN streams:{greedy}:s:t1")
                    + number(redis, "XLEN streams:{greedy}:s:t2");
            assertThat(held).as("bytes counted").isLessThanOrEqualTo(20L * BODY).isGreaterThanOrEqualTo(17L * BODY);
            // Each body is the payload and its encoded head, a little over BODY bytes.
            assertThat(events).as("events kept").isBetween(16L, 19L);
            assertThat(events * BODY).isLessThanOrEqualTo(held);
            assertThat(number(redis, "XLEN streams:{modest}:s:t")).isEqualTo(2);
            assertThat(number(redis, "INCRBY streams:{modest}:bytes 0")).isGreaterThanOrEqualTo(2L * BODY);

            // A second node resuming from the first event learns exactly what was trimmed.
            Broker late = Broker.builder().cluster(RedisClusterEngine.builder(redis.uri()).nodeName("late")
                    .timeout(Duration.ofSeconds(2)).build()).build();
            try {
                Recorder resumed = new Recorder();
                late.subscribe("greedy", "t0", StartPosition.resume(Map.of("t0", first), StartPosition.latest()),
                        resumed);
                Recorder.await(() -> !resumed.gaps.isEmpty() && !resumed.events.isEmpty(), () -> "gap, then events");
                Gap gap = resumed.gaps.get(0);
                assertThat(gap.missed()).isPositive();
                assertThat(resumed.events.get(0).offset()).isEqualTo(1 + 1 + gap.missed());
            } finally {
                late.close();
                node.close();
            }
        }
    }
}
