package dev.streams.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeCodecTest {
    @Test
    void anyStringsRoundTripInOrder() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("device_id", "d1");
        attributes.put("quote\"back\\slash", "line\nbreak\ttab\u0001<&>=' \u2028 é 🚀");
        attributes.put("", "");

        String json = AttributeCodec.encode(attributes);

        assertThat(json).startsWith("{\"device_id\":\"d1\"").contains("<&>='");
        assertThat(AttributeCodec.decode(json)).containsExactlyEntriesOf(attributes);
    }

    @Test
    void anEmptyMapIsAnEmptyObject() {
        assertThat(AttributeCodec.encode(Map.of())).isEqualTo("{}");
        assertThat(AttributeCodec.decode("{}")).isEmpty();
    }

    @Test
    void rowsWrittenByEarlierVersionsStillRead() {
        assertThat(AttributeCodec.decode("{\"device_id\":\"d\\u0001\\\"x\"}")).containsEntry("device_id", "d\u0001\"x");
    }
}
