package dev.streams.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages in flight counted against the first subscriber, or against the slowest. */
class InFlightGateTest {
    private final List<Channel> subscribers = List.of(new EmbeddedChannel(), new EmbeddedChannel(), new EmbeddedChannel());

    @Test
    void theFirstSubscriberAloneCountsByDefault() {
        InFlightGate gate = new InFlightGate("first", 16);
        gate.subscribers(subscribers);
        gate.received(subscribers.get(0), 10);
        gate.received(subscribers.get(1), 1);
        assertThat(gate.inFlight(20)).isEqualTo(10);
        assertThat(gate.label()).isEmpty();
    }

    @Test
    void withSlowestEverySubscriberMustHaveReceivedAllButTheLimit() {
        InFlightGate gate = new InFlightGate("slowest", 16);
        gate.subscribers(subscribers);
        gate.received(subscribers.get(0), 20);
        gate.received(subscribers.get(1), 20);
        gate.received(subscribers.get(2), 3);
        assertThat(gate.inFlight(20)).as("the third has 17 to go").isEqualTo(17);
        gate.received(subscribers.get(2), 10);
        assertThat(gate.inFlight(20)).isEqualTo(7);
        assertThat(gate.label()).isEqualTo(" of all");
        // A channel that is not a subscriber (the publisher) is not counted.
        gate.received(new EmbeddedChannel(), 100);
        assertThat(gate.inFlight(20)).isEqualTo(7);
    }

    @Test
    void anUnknownWayIsRefused() {
        assertThatThrownBy(() -> new InFlightGate("last", 16)).hasMessageContaining("first or slowest");
    }
}
