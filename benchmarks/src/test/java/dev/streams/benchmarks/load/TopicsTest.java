package dev.streams.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code --topics}: subscribers share the topics equally, the publisher takes them in turn. */
class TopicsTest {
    @Test
    void oneTopicIsTheTargetsOwn() {
        Topics one = new Topics("bench", 1, 10, true, true);
        assertThat(one.ofSubscriber(7)).isEqualTo("bench");
        assertThat(one.next()).isEqualTo("bench");
        assertThat(one.deliveriesOwed()).as("one message, to each of the 10").isEqualTo(10);
    }

    @Test
    void severalTopicsShareTheSubscribersAndThePublisherTakesThemInTurn() {
        Topics three = new Topics("bench", 3, 7, false, false);
        assertThat(IntStream.range(0, 6).mapToObj(three::ofSubscriber))
                .containsExactly("bench-0", "bench-1", "bench-2", "bench-0", "bench-1", "bench-2");
        assertThat(IntStream.range(0, 4).mapToObj(i -> three.next()))
                .containsExactly("bench-0", "bench-1", "bench-2", "bench-0");
        // 7 subscribers: bench-0 has 3 (0, 3, 6), the others 2 each.
        assertThat(three.deliveriesOwed()).isEqualTo(3 + 2 + 2 + 3);
    }

    @Test
    void severalTopicsAreRefusedWhereTheyCannotWork() {
        assertThatThrownBy(() -> new Topics("bench", 2, 10, true, false)).hasMessageContaining("needs --rate");
        assertThatThrownBy(() -> new Topics("bench", 2, 10, false, true)).hasMessageContaining("choose a topic");
        assertThatThrownBy(() -> new Topics("bench", 0, 10, false, false)).hasMessageContaining("at least 1");
    }
}
