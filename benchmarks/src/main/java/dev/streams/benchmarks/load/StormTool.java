package dev.streams.benchmarks.load;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.netty.channel.Channel;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reconnect storm against a running Streams server, native protocol: clients holding cursors all resubscribe
 * at once, as they do after a restart. Two phases, with the server restarted between them by the operator:
 *
 * <pre>
 * # 1. publish --events per topic to --topics topics, and keep where each topic stands
 * java -cp benchmarks/target/benchmarks.jar dev.streams.benchmarks.load.StormTool --phase prepare \
 *     --url ws://127.0.0.1:8080 --api-key KEY --topics 50 --events 20 --state /tmp/storm.txt
 * # 2. restart the server, then: --clients connections, at most --handshakes opening at once, each resuming
 * #    one topic from a cursor inside its history (--from history) or at its end (--from live)
 * java -cp benchmarks/target/benchmarks.jar dev.streams.benchmarks.load.StormTool --phase storm \
 *     --url ws://127.0.0.1:8080 --api-key KEY --clients 5000 --handshakes 200 --state /tmp/storm.txt \
 *     [--sources 127.0.0.1,127.0.0.2]
 * </pre>
 *
 * <p>Checks every client: acknowledged (not refused), then exactly the events after its cursor, in order, with
 * no gap and no duplicate. Reports how long until every client was subscribed and until every one had caught up.
 */
public final class StormTool {
    private final Options options;
    private final URI uri;

    private StormTool(Options options) {
        this.options = options;
        this.uri = URI.create(options.get("url", "ws://127.0.0.1:8080") + "/v1/ws/native?x-api-key=" + options.get("api-key", ""));
    }



    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        StormTool tool = new StormTool(options);
        if (tool.options.get("phase", "storm").equals("prepare")) {
            tool.prepare();
        } else {
            tool.storm();
        }
        System.exit(0);
    }

    /** Publishes the topics' events with acks, one at a time, and writes "topic epoch lastOffset" lines. */
    private void prepare() throws Exception {
        int topics = options.getInt("topics", 50);
        int events = options.getInt("events", 20);
        List<String> state = new ArrayList<>();
        try (WsClient client = new WsClient(1)) {
            java.util.concurrent.BlockingQueue<String> acks = new java.util.concurrent.LinkedBlockingQueue<>();
            Channel channel = client.connect(uri, "127.0.0.1", c -> { },
                    (c, frame) -> acks.add(frame.toString(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
            acks.poll(10, TimeUnit.SECONDS);
            for (int t = 0; t < topics; t++) {
                String cursor = null;
                for (int e = 1; e <= events; e++) {
                    WsClient.sendText(channel, ("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"storm." + t
                            + "\",\"text\":\"" + e + "\"}").getBytes(StandardCharsets.UTF_8));
                    JsonObject ack = JsonParser.parseString(acks.poll(10, TimeUnit.SECONDS)).getAsJsonObject();
                    if (!ack.has("cursor")) {
                        throw new IllegalStateException("publish refused: " + ack);
                    }
                    cursor = ack.get("cursor").getAsString();
                }
                String[] parts = cursor.split("-");
                state.add("storm." + t + " " + parts[0] + " " + parts[1]);
            }
        }
        Files.write(Path.of(options.get("state", "storm.txt")), state);
        System.out.printf(Locale.ROOT, "prepared %d topics of %d events%n", topics, events);
    }

    /** Where one client resumes and what it must receive. */
    private record Expectation(String topic, String epoch, long after, long last) {
    }

    private void storm() throws Exception {
        List<String[]> topics = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(options.get("state", "storm.txt")))) {
            topics.add(line.split(" "));
        }
        int clients = options.getInt("clients", 5000);
        // Local addresses to spread connections over: one address has about 28,000 ephemeral ports, and closed
        // connections hold theirs for a minute.
        List<String> sources = List.of(options.get("sources", "127.0.0.1").split(","));
        boolean live = options.get("from", "history").equals("live");
        Semaphore handshakes = new Semaphore(options.getInt("handshakes", 200));
        CountDownLatch subscribed = new CountDownLatch(clients);
        CountDownLatch caughtUp = new CountDownLatch(clients);
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Channel> channels = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long[] subscribedAt = new long[1];
        try (WsClient client = new WsClient(2)) {
            for (int i = 0; i < clients; i++) {
                String[] t = topics.get(i % topics.size());
                long last = Long.parseLong(t[2]);
                Expectation expect = new Expectation(t[0], t[1], live ? last : i % last, last);
                long[] next = {expect.after() + 1};
                handshakes.acquire();
                CompletableFuture<Channel> opened = client.connect(uri, sources.get(i % sources.size()), channel -> { },
                        (channel, frame) -> {
                    JsonObject message = JsonParser.parseString(frame.toString(StandardCharsets.UTF_8)).getAsJsonObject();
                    switch (message.get("type").getAsString()) {
                        case "welcome" -> WsClient.sendText(channel, ("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\""
                                + expect.topic() + "\",\"resume\":{\"" + expect.topic() + "\":\"" + expect.epoch() + "-"
                                + expect.after() + "\"}}").getBytes(StandardCharsets.UTF_8));
                        case "ack" -> {
                            handshakes.release();
                            subscribed.countDown();
                            if (next[0] > expect.last()) {
                                caughtUp.countDown();
                            }
                        }
                        case "event" -> {
                            String cursor = message.get("cursor").getAsString();
                            if (!cursor.equals(expect.epoch() + "-" + next[0])) {
                                wrong.incrementAndGet();
                                problems.add(expect + " expected offset " + next[0] + ", got " + cursor);
                            }
                            next[0]++;
                            if (next[0] == expect.last() + 1) {
                                caughtUp.countDown();
                            }
                        }
                        case "error" -> {
                            refused.incrementAndGet();
                            problems.add(expect + ": " + message);
                            handshakes.release();
                            subscribed.countDown();
                            caughtUp.countDown();
                        }
                        default -> {
                            wrong.incrementAndGet();
                            problems.add(expect + ": " + message);
                        }
                    }
                });
                opened.whenComplete((channel, error) -> {
                    if (error != null) {
                        refused.incrementAndGet();
                        problems.add(expect + ": connect failed: " + error);
                        handshakes.release();
                        subscribed.countDown();
                        caughtUp.countDown();
                    } else {
                        channels.add(channel);
                    }
                });
            }
            boolean allSubscribed = subscribed.await(120, TimeUnit.SECONDS);
            subscribedAt[0] = System.nanoTime();
            boolean allCaughtUp = caughtUp.await(120, TimeUnit.SECONDS);
            long end = System.nanoTime();
            System.out.printf(Locale.ROOT, "storm (%s): %d clients, %d refused, %d wrong events; all subscribed in"
                            + " %.2f s%s, all caught up in %.2f s%s%n", live ? "live end" : "from history", clients,
                    refused.get(), wrong.get(), (subscribedAt[0] - start) / 1e9, allSubscribed ? "" : " (TIMED OUT)",
                    (end - start) / 1e9, allCaughtUp ? "" : " (TIMED OUT)");
            problems.stream().limit(5).forEach(p -> System.out.println("  " + p));
            if (options.has("hold")) {
                Thread.sleep(options.getInt("hold", 0) * 1000L);
            }
            channels.forEach(Channel::close);
        }
    }
}
