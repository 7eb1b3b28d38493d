package dev.streams.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load tool reads send times straight out of frames of either system; it must find each one, once. */
class BytesTest {
    @Test
    void findsEveryStampInStreamsAndBatchedNatsFrames() {
        byte[] a = Bytes.payload(1234567890123L, 128);
        byte[] b = Bytes.payload(42L, 128);
        assertThat(a).hasSize(128);
        String streams = "{\"type\":\"event\",\"topic\":\"bench\",\"text\":\"" + new String(a, StandardCharsets.US_ASCII) + "\"}";
        String nats = "MSG bench 1 128\r\n" + new String(a, StandardCharsets.US_ASCII) + "\r\nMSG bench 1 128\r\n"
                + new String(b, StandardCharsets.US_ASCII) + "\r\nPING\r\n";
        List<Long> seen = new ArrayList<>();
        assertThat(Bytes.forEachStamp(streams.getBytes(StandardCharsets.US_ASCII), seen::add)).isEqualTo(1);
        assertThat(Bytes.forEachStamp(nats.getBytes(StandardCharsets.US_ASCII), seen::add)).isEqualTo(2);
        assertThat(seen).containsExactly(1234567890123L, 1234567890123L, 42L);
        assertThat(Target.nats().answer(nats.getBytes(StandardCharsets.US_ASCII))).isEqualTo("PONG\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(Target.streams("k", false).answer(streams.getBytes(StandardCharsets.US_ASCII))).isNull();
    }
}
