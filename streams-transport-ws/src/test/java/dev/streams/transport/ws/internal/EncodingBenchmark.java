package dev.streams.transport.ws.internal;

import dev.streams.core.Encoding;
import dev.streams.core.Event;
import dev.streams.transport.ws.internal.golioth.GoliothWire;
import dev.streams.transport.ws.internal.m3o.M3oWire;
import dev.streams.transport.ws.internal.nativeproto.NativeWire;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Encoding one 128-byte JSON device reading per dialect (a fresh event each time, so nothing is memoised). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncodingBenchmark {
    @Param({"m3o", "golioth", "native", "native+deflate"})
    String dialect;

    private Encoding<byte[]> encoding;
    private final byte[] payload = ("{\"temp\":21.5,\"humidity\":48,\"seq\":1234567,\"note\":\""
            + "x".repeat(70) + "\"}").getBytes(StandardCharsets.UTF_8);
    private final Map<String, String> attributes = Map.of("deviceId", "61a4cfdfb2b45578105aeca5");
    private long offset;

    @org.openjdk.jmh.annotations.Setup
    public void setUp() {
        encoding = switch (dialect) {
            case "m3o" -> M3oWire.MESSAGE.plain();
            case "golioth" -> GoliothWire.FRAME.plain();
            case "native+deflate" -> NativeWire.EVENT.deflated();
            default -> NativeWire.EVENT.plain();
        };
    }

    @Benchmark
    public byte[] encodeOnce() {
        Event event = new Event("bench", "devices.61a4cfdfb2b45578105aeca5.stream", 42, ++offset,
                1_700_000_000_123_456_789L, payload, "application/json", attributes);
        return event.encoded(encoding);
    }
}
