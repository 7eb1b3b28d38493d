package dev.streams.benchmarks;

import dev.streams.core.TokenClaims;
import dev.streams.core.TokenIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Issuing and verifying HS256 Streams tokens, on one thread. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenBenchmark {
    private final TokenIssuer issuer = TokenIssuer.builder()
            .signingKey("k1", "benchmark-signing-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8)).build();
    private final String token = issuer.issue("bench", List.of("devices.*.stream"), Duration.ofHours(1), Map.of());

    @Benchmark
    public String issue() {
        return issuer.issue("bench", List.of("devices.*.stream"));
    }

    @Benchmark
    public TokenClaims verify() {
        return issuer.verify(token);
    }
}
