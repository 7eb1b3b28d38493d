package dev.streams.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactJsonTest {

    @Test
    void roundTrips() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("s", "quote \" slash \\ newline \n tab \t ctl \u0001 é");
        in.put("n", 42L);
        in.put("neg", -7L);
        in.put("b", true);
        in.put("nil", null);
        in.put("list", List.of("a", 1L, false));
        in.put("obj", Map.of("k", "v"));
        String json = CompactJsonWriter.write(in);
        assertThat(CompactJson.parseObject(json)).isEqualTo(in);
    }

    @Test
    void parsesNumbersToLongOrBigDecimal() {
        assertThat(CompactJson.parseObject("{\"a\":1.5,\"b\":1e3,\"c\":99999999999999999999}"))
                .containsEntry("a", new BigDecimal("1.5"))
                .containsEntry("b", 1000L)
                .containsEntry("c", new BigDecimal("99999999999999999999"));
        assertThat(CompactJson.parseObject("{\"huge\":1e999999999}").get("huge")).isInstanceOf(BigDecimal.class);
    }

    @Test
    void integerFastPathAgreesWithTheGeneralPath() {
        assertThat(CompactJson.parseObject("{\"a\":123456789012345678,\"b\":1234567890123456789,\"c\":-7,\"d\":-0,\"e\":0}"))
                .containsEntry("a", 123456789012345678L)
                .containsEntry("b", 1234567890123456789L)
                .containsEntry("c", -7L)
                .containsEntry("d", 0L)
                .containsEntry("e", 0L);
        assertThat(CompactJson.parseObject("{\"big\":9223372036854775808}").get("big"))
                .isEqualTo(new BigDecimal("9223372036854775808"));
        assertThat(CompactJson.parseObject("{\"s\":\"plain then \\\"escaped\\\"\"}").get("s"))
                .isEqualTo("plain then \"escaped\"");
    }

    @Test
    void rejectsWhatIsNotStrictJson() {
        String deep = "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}";
        for (String bad : new String[] {"", "[]", "{", "{\"a\":1,}", "{\"a\":1}x", "{\"a\":01}", "{'a':1}",
            "{\"a\":1,\"a\":2}", "{\"a\":\"\\x\"}", "{\"a\":tru}", "{\"a\":\"\u0001\"}", deep, "{\"a\":-}",
            "{\"a\":\"\\u12\"}"}) {
            assertThatThrownBy(() -> CompactJson.parseObject(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void objectReaderReadsMembersInOrderAsStrictlyAsParseObject() {
        CompactJson reader = CompactJson.objectReader(" {\"a\": 1, \"b\": [\"x\"], \"c\": {\"d\": null}} ");
        assertThat(reader.nextName()).isEqualTo("a");
        assertThat(reader.nextValue()).isEqualTo(1L);
        assertThat(reader.nextName()).isEqualTo("b");
        assertThat(reader.nextValue()).isEqualTo(java.util.List.of("x"));
        assertThat(reader.nextName()).isEqualTo("c");
        assertThat(reader.nextValue()).isEqualTo(java.util.Collections.singletonMap("d", null));
        assertThat(reader.nextName()).isNull();
        assertThat(CompactJson.objectReader("{}").nextName()).isNull();
        for (String bad : new String[] {"", "[]", "{", "{\"a\":1,}", "{\"a\":1}x", "{,}", "{\"a\":1 \"b\":2}",
            "{\"a\" 1}", "{1:2}"}) {
            assertThatThrownBy(() -> {
                CompactJson reader2 = CompactJson.objectReader(bad);
                for (String name = reader2.nextName(); name != null; name = reader2.nextName()) {
                    reader2.nextValue();
                }
            }).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
