package dev.streams.cluster.redis.internal;

import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.Idempotency;
import dev.streams.core.StreamsException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends publishes to Redis in batches: one script call positions and publishes every waiting event of one
 * project. Like a group commit, batches grow by themselves under load: while {@code maxInFlight} calls are
 * waiting for Redis, new publishes gather in the queue and go out together in the next call.
 *
 * <p>Concurrency: any thread submits; one sender thread takes from the queue and issues calls, in submission
 * order, on one pipelined connection, so Redis runs them in that order and a publisher's events to a topic
 * keep their order. Futures complete on Lettuce's threads. The queue is bounded: a full one refuses with
 * UNAVAILABLE rather than growing.
 */
public final class PublishBatcher implements AutoCloseable {
    private static final SecureRandom EPOCHS = new SecureRandom();
    private static final String SCRIPT = loadScript();

    private record Pending(Event event, CompletableFuture<Event> done) {
    }

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final Keys keys;
    private final byte[] recoveryLength;
    private final byte[] keyLifetimeMillis;
    private final byte[] maxRecoveryBytesPerProject;
    private final byte[] origin;
    private final byte[] logLength;
    private final int maxBatch;
    private final ArrayBlockingQueue<Pending> queue;
    private final Semaphore inFlight;
    private final Thread sender;
    private final LongAdder calls = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean closed;
    private final byte[] idempotencyWindowMillis;

    public PublishBatcher(RedisAsyncCommands<byte[], byte[]> redis, Keys keys, String nodeName, int recoveryLength,
                          int logLength, long keyLifetimeMillis, long maxRecoveryBytesPerProject, int maxBatch,
                          int maxQueued, int maxInFlight, long idempotencyWindowMillis, String threadName) {
        this.idempotencyWindowMillis = ascii(Long.toString(idempotencyWindowMillis));
        this.logLength = ascii(Integer.toString(logLength));
        this.origin = nodeName.getBytes(StandardCharsets.UTF_8);
        this.redis = redis;
        this.keys = keys;
        this.recoveryLength = ascii(Integer.toString(recoveryLength));
        this.keyLifetimeMillis = ascii(Long.toString(keyLifetimeMillis));
        this.maxRecoveryBytesPerProject = ascii(Long.toString(maxRecoveryBytesPerProject));
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.inFlight = new Semaphore(maxInFlight);
        this.sender = new Thread(this::run, threadName);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Queues an event (its topic, body and clock) to be positioned; never blocks. */
    public CompletableFuture<Event> submit(Event event) {
        CompletableFuture<Event> done = new CompletableFuture<>();
        if (closed) {
            refuseClosed(new Pending(event, done));
        } else if (!queue.offer(new Pending(event, done))) {
            failed.increment();
            done.completeExceptionally(new StreamsException(ErrorKind.UNAVAILABLE,
                    "the cluster engine is behind (" + queue.size() + " publishes waiting for Redis); try again"));
        }
        return done;
    }

    public int queued() {
        return queue.size();
    }

    public long calls() {
        return calls.sum();
    }

    public long published() {
        return published.sum();
    }

    public long failed() {
        return failed.sum();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            List<List<Pending>> groups;
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, maxBatch - 1);
            Map<String, List<Pending>> byProject = new LinkedHashMap<>();
            for (Pending p : batch) {
                byProject.computeIfAbsent(p.event.project(), k -> new ArrayList<>()).add(p);
            }
            batch.clear();
            groups = new ArrayList<>(byProject.values());
            for (int i = 0; i < groups.size(); i++) {
                try {
                    inFlight.acquire();
                } catch (InterruptedException e) {
                    groups.subList(i, groups.size()).forEach(group -> group.forEach(PublishBatcher::refuseClosed));
                    closed = true;
                    break;
                }
                send(groups.get(i).get(0).event.project(), groups.get(i));
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            refuseClosed(left);
        }
    }

    private static void refuseClosed(Pending p) {
        p.done.completeExceptionally(new StreamsException(ErrorKind.CLOSED, "the cluster engine is closed"));
    }

    /** One script call for the events of one project (holding one permit of {@code inFlight}). */
    private void send(String project, List<Pending> events) {
        byte[][] keyArgs = new byte[6 + events.size() * 2][];
        byte[][] args = new byte[9 + events.size() * 5][];
        keyArgs[0] = keys.sequence();
        keyArgs[1] = keys.log();
        keyArgs[2] = keys.ledger(project);
        keyArgs[3] = keys.recoveryBytes(project);
        keyArgs[4] = keys.idempotency(project);
        keyArgs[5] = keys.idempotencyExpiry(project);
        args[7] = maxRecoveryBytesPerProject;
        args[8] = idempotencyWindowMillis;
        args[5] = logLength;
        args[6] = project.getBytes(StandardCharsets.UTF_8);
        args[0] = ascii(Long.toString(EPOCHS.nextLong() & Long.MAX_VALUE));
        args[1] = recoveryLength;
        args[2] = keyLifetimeMillis;
        args[3] = keys.channel(project);
        args[4] = origin;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i).event;
            keyArgs[6 + 2 * i] = keys.meta(project, e.topic());
            keyArgs[7 + 2 * i] = keys.stream(project, e.topic());
            long nanos = e.timestampNanos();
            String key = e.attributes().get(Idempotency.KEY);
            args[9 + 5 * i] = ascii(Long.toString(Math.floorDiv(nanos, 1_000_000_000L)));
            args[10 + 5 * i] = ascii(Long.toString(Math.floorMod(nanos, 1_000_000_000L)));
            args[11 + 5 * i] = key == null ? new byte[0] : ascii(key);
            args[12 + 5 * i] = e.topic().getBytes(StandardCharsets.UTF_8);
            args[13 + 5 * i] = EventCodec.body(e);
        }
        calls.increment();
        CompletableFuture<List<Object>> reply;
        try {
            reply = redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keyArgs, args).toCompletableFuture();
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((heads, error) -> {
            inFlight.release();
            if (error != null) {
                failed.add(events.size());
                // Redis's error text (its address, its state) is for the operator; the engine's health has it.
                StreamsException refused = new StreamsException(ErrorKind.UNAVAILABLE,
                        "the cluster's Redis did not take the publish; try again");
                events.forEach(p -> p.done.completeExceptionally(refused));
                return;
            }
            published.add(events.size());
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i).event;
                String answer = new String((byte[]) heads.get(i), StandardCharsets.UTF_8);
                if (answer.startsWith("=")) {
                    // A repeated idempotency key: the first publish's topic and head; nothing was stored or sent.
                    int newline = answer.indexOf('\n');
                    String topic = answer.substring(1, newline);
                    if (!topic.equals(e.topic())) {
                        events.get(i).done.completeExceptionally(new StreamsException(ErrorKind.INVALID_ARGUMENT,
                                "idempotency key " + e.attributes().get(Idempotency.KEY)
                                        + " was used for another topic within the window"));
                        continue;
                    }
                    answer = answer.substring(newline + 1);
                }
                EventCodec.Head head = EventCodec.Head.parse(answer);
                events.get(i).done.complete(new Event(project, e.topic(), head.epoch(), head.offset(),
                        head.timestampNanos(), e.payload(), e.contentType(), e.attributes()));
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        try {
            sender.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String loadScript() {
        try (InputStream in = PublishBatcher.class.getResourceAsStream("publish.lua")) {
            if (in == null) {
                throw new IllegalStateException("publish.lua is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
