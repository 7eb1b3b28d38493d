package dev.streams.transport.ws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class DeflateTest {
    /** What a permessage-deflate client does: append 00 00 FF FF and inflate with a fresh raw inflater. */
    private static byte[] inflate(byte[] compressed) throws Exception {
        Inflater inflater = new Inflater(true);
        byte[] input = new byte[compressed.length + 4];
        System.arraycopy(compressed, 0, input, 0, compressed.length);
        input[compressed.length + 2] = (byte) 0xFF;
        input[compressed.length + 3] = (byte) 0xFF;
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!inflater.needsInput()) {
            int n = inflater.inflate(buffer);
            if (n == 0 && inflater.needsInput()) {
                break;
            }
            out.write(buffer, 0, n);
        }
        inflater.end();
        return out.toByteArray();
    }

    @Test
    void eachMessageInflatesOnItsOwn() throws Exception {
        Random random = new Random(7);
        for (int length : new int[] {0, 1, 100, 5000, 200_000}) {
            byte[] text = new byte[length];
            for (int i = 0; i < length; i++) {
                text[i] = (byte) ('a' + random.nextInt(random.nextBoolean() ? 3 : 26));
            }
            byte[] compressed = Deflate.compress(text);
            assertThat(inflate(compressed)).isEqualTo(text);
        }
        byte[] repetitive = "{\"temp\":21.5,\"deviceId\":\"d1\"}".repeat(100).getBytes(StandardCharsets.UTF_8);
        assertThat(Deflate.compress(repetitive).length).isLessThan(repetitive.length / 10);
    }
}
