package dev.streams.transport.ws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One project's heavy queries take at most their share of the query threads: the next waits briefly, the one
 * after is refused at once with a retry hint, and another project's query runs meanwhile.
 */
class QueryGateTest {
    @Test
    void aProjectRunsItsShareWaitsBrieflyThenIsRefusedWhileOthersRun() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        QueryGate gate = new QueryGate(threads, GlobalEventExecutor.INSTANCE, 1, 1, Duration.ofMillis(300));
        CountDownLatch heavyMayEnd = new CountDownLatch(1);
        CountDownLatch heavyStarted = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        List<QueryGate.Refusal> refused = new CopyOnWriteArrayList<>();
        try {
            gate.submit("a", () -> {
                heavyStarted.countDown();
                await(heavyMayEnd);
                ran.add("a1");
            }, refused::add);
            assertThat(heavyStarted.await(5, TimeUnit.SECONDS)).isTrue();
            gate.submit("a", () -> ran.add("a2"), refused::add);
            gate.submit("a", () -> ran.add("a3"), refused::add);
            assertThat(refused).as("the line of one was full").hasSize(1);
            assertThat(refused.get(0).limit()).isTrue();
            assertThat(refused.get(0).retryAfterSeconds()).isPositive();

            CountDownLatch otherRan = new CountDownLatch(1);
            gate.submit("b", () -> {
                ran.add("b1");
                otherRan.countDown();
            }, refused::add);
            assertThat(otherRan.await(5, TimeUnit.SECONDS)).as("another project is not held up").isTrue();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (refused.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(refused).as("the waiter waited its time, then was told").hasSize(2);
            assertThat(refused.get(1).message()).contains("waited");

            heavyMayEnd.countDown();
            CountDownLatch next = new CountDownLatch(1);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!ran.contains("a1") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            gate.submit("a", next::countDown, refused::add);
            assertThat(next.await(5, TimeUnit.SECONDS)).as("its place was given back").isTrue();
            assertThat(ran).containsExactlyInAnyOrder("a1", "b1").doesNotContain("a2", "a3");
        } finally {
            heavyMayEnd.countDown();
            gate.shutdown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
