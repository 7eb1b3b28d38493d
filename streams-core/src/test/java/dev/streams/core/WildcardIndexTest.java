package dev.streams.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The trie-backed fan-out agrees with a brute-force matcher, including after cancellations. */
class WildcardIndexTest {
    private static final String[] WORDS = {"a", "b", "c", "dev", "x"};
    private final Broker broker = Broker.create();

    @AfterEach
    void close() {
        broker.close();
    }

    private static String randomTopic(Random random) {
        int depth = 1 + random.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            sb.append(i == 0 ? "" : ".").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private static String randomPattern(Random random) {
        int depth = 1 + random.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            int pick = random.nextInt(WORDS.length + 2);
            String token = pick < WORDS.length ? WORDS[pick] : pick == WORDS.length || i < depth - 1 ? "*" : ">";
            sb.append(i == 0 ? "" : ".").append(token);
        }
        return sb.toString();
    }

    @Test
    void fanOutMatchesBruteForceOnRandomTopicsAndPatterns() {
        Random random = new Random(42);
        List<String> patterns = new ArrayList<>();
        List<Recorder> recorders = new ArrayList<>();
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String pattern = randomPattern(random);
            Recorder r = new Recorder();
            patterns.add(pattern);
            recorders.add(r);
            subs.add(broker.subscribe("p", pattern, StartPosition.latest(), r));
        }
        // Cancel a third, so pruning of the trie is exercised too.
        Set<Integer> cancelled = new LinkedHashSet<>();
        for (int i = 0; i < 100; i++) {
            int victim = random.nextInt(patterns.size());
            if (cancelled.add(victim)) {
                subs.get(victim).cancel();
            }
        }
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String topic = randomTopic(random);
            topics.add(topic);
            broker.publish("p", topic, String.valueOf(i).getBytes(UTF_8));
        }
        Map<Integer, List<String>> expected = new HashMap<>();
        for (int s = 0; s < patterns.size(); s++) {
            List<String> want = new ArrayList<>();
            if (!cancelled.contains(s)) {
                for (int t = 0; t < topics.size(); t++) {
                    if (Topics.matches(patterns.get(s), topics.get(t))) {
                        want.add(String.valueOf(t));
                    }
                }
            }
            expected.put(s, want);
        }
        for (int s = 0; s < patterns.size(); s++) {
            Recorder r = recorders.get(s);
            r.awaitEvents(expected.get(s).size());
        }
        broker.close();
        for (int s = 0; s < patterns.size(); s++) {
            assertThat(recorders.get(s).payloads()).as("pattern %s", patterns.get(s))
                    .containsExactlyInAnyOrderElementsOf(expected.get(s));
        }
    }

    @Test
    void hundredThousandSubscriptionsRegisterMatchAndCancel() {
        List<Subscription> subs = new ArrayList<>(100_000);
        Recorder shared = new Recorder();
        for (int i = 0; i < 100_000; i++) {
            subs.add(broker.subscribe("p", "devices." + i + ".*", StartPosition.latest(), shared));
        }
        broker.publish("p", "devices.77.stream", "x".getBytes(UTF_8));
        broker.publish("p", "devices.99999.stream", "y".getBytes(UTF_8));
        assertThat(shared.awaitEvents(2).payloads()).containsExactlyInAnyOrder("x", "y");
        assertThat(broker.stats("p").subscriptions()).isEqualTo(100_000);
        subs.forEach(Subscription::cancel);
        assertThat(broker.stats("p").subscriptions()).isZero();
    }
}
