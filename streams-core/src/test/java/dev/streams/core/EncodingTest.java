package dev.streams.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EncodingTest {
    private static final AtomicInteger CALLS = new AtomicInteger();
    private static final Encoding<String> UPPER = Encoding.of("upper", e -> {
        CALLS.incrementAndGet();
        return e.payloadAsString().toUpperCase();
    });

    @Test
    void everyThreadGetsTheSameInstanceOfTheEncodedForm() throws Exception {
        Event event = new Event("p", "t", 1, 1, 0, "hi".getBytes(UTF_8), "text/plain", Map.of());
        int threads = 8;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> seen = new CopyOnWriteArrayList<>();
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    barrier.await();
                    seen.add(event.encoded(UPPER));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(seen).hasSize(threads).allSatisfy(s -> assertThat(s).isSameAs(seen.get(0)).isEqualTo("HI"));
        int before = CALLS.get();
        event.encoded(UPPER);
        assertThat(CALLS.get()).as("cached after the first").isEqualTo(before);
    }
}
