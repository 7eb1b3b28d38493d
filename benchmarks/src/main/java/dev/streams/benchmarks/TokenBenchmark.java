package dev.streams.benchmarks;

import dev.streams.auth.TokenClaims;
import dev.streams.auth.TokenIssuer;
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

    private final dev.streams.auth.StreamsAuth auth = dev.streams.auth.StreamsAuth.builder()
            .masterKey("benchmark-master-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8)).build();
    private final String streamsToken = auth.issueToken(auth.authenticate(dev.streams.auth.Credentials.apiKey(
            auth.createKey("bench", "k", java.util.EnumSet.allOf(dev.streams.auth.Scope.class)).key())), "bench",
            List.of("devices.*.stream"), Duration.ofHours(1), java.util.Set.of(dev.streams.auth.Scope.SUBSCRIBE));
    private final dev.streams.auth.Credentials credentials = dev.streams.auth.Credentials.bearer(streamsToken);

    @Benchmark
    public TokenClaims verify() {
        return issuer.verify(token);
    }

    /** What a server does with a Streams token on every connection: authenticate it through StreamsAuth. */
    @Benchmark
    public dev.streams.auth.Principal authenticate() {
        return auth.authenticate(credentials);
    }
}
