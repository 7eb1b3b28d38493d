package dev.streams.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.protocol.TopicRule;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicsTest {

    @ParameterizedTest
    @CsvSource({
        "'', EMPTY",
        ".events, LEADING_DOT",
        "events., TRAILING_DOT",
        "a..b, EMPTY_TOKEN",
        "a/b, SLASH",
        "a b, CONTROL_CHARACTER",
        "a.*, WILDCARD_IN_TOPIC",
        "a.>, WILDCARD_IN_TOPIC",
        "a*b, WILDCARD_IN_TOPIC",
    })
    void publishedTopicsFollowTheM3oRule(String topic, TopicRule rule) {
        assertThatThrownBy(() -> Topics.requireTopic(topic))
                .isInstanceOfSatisfying(InvalidTopicException.class, e -> {
                    assertThat(e.rule()).isEqualTo(rule);
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_TOPIC);
                    assertThat(e.getMessage()).contains(rule.description());
                });
    }

    @ParameterizedTest
    @CsvSource({"a>, BAD_WILDCARD", "a.>.b, BAD_WILDCARD", "a.b*, BAD_WILDCARD", "**, BAD_WILDCARD",
        "a..*, EMPTY_TOKEN"})
    void patternsUseWholeTokenWildcards(String pattern, TopicRule rule) {
        assertThatThrownBy(() -> Topics.requirePattern(pattern))
                .isInstanceOfSatisfying(InvalidTopicException.class, e -> assertThat(e.rule()).isEqualTo(rule));
    }

    @Test
    void theIntersectionOfTwoPatternsMatchesExactlyWhatBothMatch() {
        assertThat(Topics.intersection("devices.*.stream", ">")).isEqualTo("devices.*.stream");
        assertThat(Topics.intersection("devices.*.stream", "devices.d1.>")).isEqualTo("devices.d1.stream");
        assertThat(Topics.intersection("*.d1.stream", "devices.*.stream")).isEqualTo("devices.d1.stream");
        assertThat(Topics.intersection("devices.*.stream", "public.>")).isNull();
        assertThat(Topics.intersection("a.b", "a.b.c")).isNull();
        assertThat(Topics.intersection("a.>", "a.*.c.>")).isEqualTo("a.*.c.>");
        assertThat(Topics.intersection("a.>", "a")).isNull();
        // Checked against matching itself, over every pair of a small set of patterns and topics.
        List<String> patterns = List.of(">", "a.>", "a.*", "*.b", "a.b", "*.*", "a.*.c", "*.b.>", "a.b.c");
        List<String> topics = List.of("a", "a.b", "a.c", "x.b", "a.b.c", "a.x.c", "x.b.y", "a.b.c.d");
        for (String p : patterns) {
            for (String q : patterns) {
                String both = Topics.intersection(p, q);
                for (String t : topics) {
                    boolean expected = Topics.matches(p, t) && Topics.matches(q, t);
                    assertThat(both != null && Topics.matches(both, t)).as(p + " ∩ " + q + " on " + t).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void acceptsOrdinaryNamesAndPatterns() {
        assertThat(Topics.requireTopic("events")).isEqualTo("events");
        assertThat(Topics.requireTopic("devices.61a4cfdf.stream")).isNotNull();
        assertThat(Topics.requireTopic("émoji-ok_1")).isNotNull();
        assertThat(Topics.requirePattern("devices.*.stream")).isNotNull();
        assertThat(Topics.requirePattern(">")).isNotNull();
        assertThat(Topics.requirePattern("a.*.>")).isNotNull();
        assertThatThrownBy(() -> Topics.requireTopic(null)).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> Topics.requireTopic("x".repeat(Topics.DEFAULT_MAX_LENGTH + 1)))
                .isInstanceOfSatisfying(InvalidTopicException.class, e -> assertThat(e.rule()).isEqualTo(TopicRule.TOO_LONG));
    }

    @Test
    void matchesWildcards() {
        assertThat(Topics.matches("a.*.c", "a.b.c")).isTrue();
        assertThat(Topics.matches("a.*.c", "a.b.d")).isFalse();
        assertThat(Topics.matches("a.*", "a")).isFalse();
        assertThat(Topics.matches("a.>", "a")).isFalse();
        assertThat(Topics.matches("a.>", "a.b.c")).isTrue();
        assertThat(Topics.matches(">", "x")).isTrue();
        assertThat(Topics.matches("a.b", "a.b")).isTrue();
        assertThat(Topics.matches("a.b", "a.b.c")).isFalse();
    }

    @Test
    void coversAgreesWithMatchingOnRandomPatterns() {
        Random random = new Random(7);
        String[] tokens = {"a", "b", "*", ">"};
        for (int i = 0; i < 20_000; i++) {
            String outer = randomPattern(random, tokens);
            String inner = randomPattern(random, tokens);
            boolean covers = Topics.covers(outer, inner);
            // Brute force: every concrete topic (over a small alphabet) matched by inner is matched by outer.
            boolean brute = true;
            for (String topic : concreteTopics()) {
                if (Topics.matches(inner, topic) && !Topics.matches(outer, topic)) {
                    brute = false;
                    break;
                }
            }
            assertThat(covers).as("%s covers %s", outer, inner).isEqualTo(brute);
        }
    }

    private static String randomPattern(Random random, String[] tokens) {
        int length = 1 + random.nextInt(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            String token = tokens[random.nextInt(i == length - 1 ? 4 : 3)];
            sb.append(i == 0 ? "" : ".").append(token);
        }
        return sb.toString();
    }

    private static java.util.List<String> concreteTopics() {
        java.util.List<String> out = new java.util.ArrayList<>();
        String[] alphabet = {"a", "b", "c"};
        for (String x : alphabet) {
            out.add(x);
            for (String y : alphabet) {
                out.add(x + "." + y);
                for (String z : alphabet) {
                    out.add(x + "." + y + "." + z);
                    for (String w : alphabet) {
                        out.add(x + "." + y + "." + z + "." + w);
                    }
                }
            }
        }
        return out;
    }
}
