package dev.streams.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProtocolTest {
    @Test
    void cursorsReadBackWhatTheyWrite() {
        Cursor cursor = Cursor.parse("1733011200123-42");
        assertThat(cursor).isEqualTo(new Cursor(1733011200123L, 42));
        assertThat(cursor.toString()).isEqualTo("1733011200123-42");
        assertThat(Cursor.append(new StringBuilder("at "), 7, 0).toString()).isEqualTo("at 7-0");
        assertThat(Cursor.parse(Long.MAX_VALUE + "-" + Long.MAX_VALUE).offset()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void textThatIsNoCursorIsRefusedInWordsForAClient() {
        for (String bad : new String[] {null, "", "-", "1-", "-1", "1-2-3", "a-1", "1-b", "1 -2", "+1-2",
                "9223372036854775808-0", "1-" + "9".repeat(40)}) {
            assertThatThrownBy(() -> Cursor.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("a cursor is <epoch>-<offset>");
        }
    }

    @Test
    void errorCodesCarryTheirStatusCloseCodeAndRetryAdvice() {
        assertThat(ErrorCode.of("FORBIDDEN")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(ErrorCode.FORBIDDEN.closeCode()).isEqualTo(4403);
        assertThat(ErrorCode.EXPIRED.reconnect()).isTrue();
        assertThat(ErrorCode.UNAVAILABLE.retryAfterSeconds()).isEqualTo(1);
        assertThat(ErrorCode.of("SOMETHING_NEW")).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(ErrorCode.of(null)).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(ErrorCode.of("NOT_CONNECTED")).as("a client's own code is never the server's")
                .isEqualTo(ErrorCode.UNKNOWN);
        assertThat(ErrorCode.CONNECTION_LOST.sentByServer()).isFalse();
    }

    @Test
    void topicRulesAndMatching() {
        assertThat(TopicNames.violation("devices.d1.stream", false, 256)).isNull();
        assertThat(TopicNames.violation("devices.*.stream", false, 256)).isEqualTo(TopicRule.WILDCARD_IN_TOPIC);
        assertThat(TopicNames.violation("devices.>.x", true, 256)).isEqualTo(TopicRule.BAD_WILDCARD);
        assertThat(TopicNames.violation("a".repeat(11), false, 10)).isEqualTo(TopicRule.TOO_LONG);
        assertThat(TopicNames.matches("devices.*.stream", "devices.d1.stream")).isTrue();
        assertThat(TopicNames.matches("devices.>", "devices")).isFalse();
        assertThat(TopicNames.covers("devices.>", "devices.*.stream")).isTrue();
        assertThat(TopicNames.intersection("devices.*.stream", "devices.d1.>")).isEqualTo("devices.d1.stream");
    }
}
