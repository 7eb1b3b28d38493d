package dev.streams.transport.ws.internal.nativeproto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.streams.core.Gap;
import org.junit.jupiter.api.Test;

class NativeWireTest {
    @Test
    void aGapFrameIsTheProtocolsJsonWhateverTheTopicHolds() {
        for (String topic : new String[] {"devices.d1.stream", "café.temp", "a-b_c.x", "weird\"name\\"}) {
            for (Gap.Cause cause : Gap.Cause.values()) {
                JsonObject frame = JsonParser.parseString(NativeWire.gap(new Gap(topic, 1733000000123456789L, -1, cause)))
                        .getAsJsonObject();
                assertThat(frame.keySet()).containsExactly("type", "topic", "epoch", "missed", "cause");
                assertThat(frame.get("type").getAsString()).isEqualTo("gap");
                assertThat(frame.get("topic").getAsString()).isEqualTo(topic);
                assertThat(frame.get("epoch").getAsString()).isEqualTo("1733000000123456789");
                assertThat(frame.get("missed").getAsLong()).isEqualTo(-1);
                assertThat(frame.get("cause").getAsString()).isEqualTo(cause.name());
            }
        }
        assertThat(NativeWire.gap(new Gap("t", 7, 12, Gap.Cause.QUEUE_OVERFLOW)))
                .isEqualTo("{\"type\":\"gap\",\"topic\":\"t\",\"epoch\":\"7\",\"missed\":12,\"cause\":\"QUEUE_OVERFLOW\"}");
    }
}
