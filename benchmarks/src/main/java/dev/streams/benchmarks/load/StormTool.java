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
 * A reconnect storm against a running Streams server: clients holding cursors all resubscribe at once, as they
 * do after a restart, over the native protocol or as Golioth device streams ({@code --dialect golioth}, each
 * resuming its device with {@code ?resume=<device>:<cursor>}; the topics are then devices' streams, in
 * {@code --project}, default {@code demo}). Two phases, with the server restarted between them by the operator:
 *
 * <pre>
 * # 1. publish --events per topic to --topics topics, and keep where each topic stands
 * java -cp benchmarks/target/benchmarks.jar dev.streams.benchmarks.load.StormTool --phase prepare \
 *     --url ws://127.0.0.1:8080 --api-key KEY --topics 50 --events 20 --state /tmp/storm.txt
 * # 2. restart the server, then: --clients connections, at most --handshakes opening at once, each resuming
 * #    one topic from a cursor inside its history (--from history) or at its end (--from live); or with no
 * #    cursor (--from now, one topic each): as each client sees its stream live, an event is published to its
 * #    topic, which it must get
 * java -cp benchmarks/target/benchmarks.jar dev.streams.benchmarks.load.StormTool --phase storm \
 *     --url ws://127.0.0.1:8080 --api-key KEY --clients 5000 --handshakes 200 --state /tmp/storm.txt \
 *     [--sources 127.0.0.1,127.0.0.2]
 * </pre>
 *
 * <p>Checks every client: acknowledged (not refused; a Golioth stream: opened, which the server answers once its
 * subscription is live), then exactly the events after its cursor, in order, with no gap and no duplicate. Reports
 * how long until every client was subscribed and until every one had caught up.
 */
public final class StormTool {
    private final Options options;
    private final URI uri;
    private final boolean golioth;

    private StormTool(Options options) {
        this.options = options;
        this.uri = URI.create(options.get("url", "ws://127.0.0.1:8080") + "/v1/ws/native?x-api-key=" + options.get("api-key", ""));
        this.golioth = options.get("dialect", "native").equals("golioth");
    }

    /** The {@code t}th topic: a native topic, or a device's stream. */
    private String topic(int t) {
        return golioth ? "devices.storm" + t + ".stream" : "storm." + t;
    }

    /** A Golioth client's stream of the device whose topic is {@code topic}, resuming after {@code cursor} if any. */
    private URI goliothStream(String topic, String cursor) {
        String device = topic.substring("devices.".length(), topic.length() - ".stream".length());
        return URI.create(options.get("url", "ws://127.0.0.1:8080") + "/v1/ws/projects/"
                + options.get("project", "demo") + "/devices/" + device + "/stream?x-api-key="
                + options.get("api-key", "") + (cursor == null ? "" : "&resume=" + device + ":" + cursor));
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
                    cursor = publish(channel, acks, topic(t), Integer.toString(e));
                }
                String[] parts = cursor.split("-");
                state.add(topic(t) + " " + parts[0] + " " + parts[1]);
            }
        }
        Files.write(Path.of(options.get("state", "storm.txt")), state);
        System.out.printf(Locale.ROOT, "prepared %d topics of %d events%n", topics, events);
    }

    /** Publishes {@code text} to {@code topic} and waits for its ack; returns its cursor. */
    private static String publish(Channel channel, java.util.concurrent.BlockingQueue<String> acks, String topic,
                                  String text) throws InterruptedException {
        WsClient.sendText(channel, ("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"" + topic + "\",\"text\":\""
                + text + "\"}").getBytes(StandardCharsets.UTF_8));
        JsonObject ack = JsonParser.parseString(acks.poll(10, TimeUnit.SECONDS)).getAsJsonObject();
        if (!ack.has("cursor")) {
            throw new IllegalStateException("publish refused: " + ack);
        }
        return ack.get("cursor").getAsString();
    }

    /**
     * Where one client resumes ({@code resumes}: from its cursor after {@code after}; else it starts live) and
     * the last offset it must receive.
     */
    private record Expectation(String topic, String epoch, long after, long last, boolean resumes) {
    }

    /** The storm's counts, which every client's connection reports to. */
    private static final class Tally {
        final Semaphore handshakes;
        final CountDownLatch subscribed;
        final CountDownLatch caughtUp;
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger wrong = new AtomicInteger();
        final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());

        Tally(int clients, int handshakes) {
            this.handshakes = new Semaphore(handshakes);
            this.subscribed = new CountDownLatch(clients);
            this.caughtUp = new CountDownLatch(clients);
        }
    }

    /** One client: counts itself subscribed, checks each event's cursor against the next it is owed. */
    private static final class Resumer {
        private final Expectation expect;
        private final Tally tally;
        /** What to do once the client sees its subscription live, or null. */
        private final Runnable whenLive;
        private long next;

        Resumer(Expectation expect, Tally tally, Runnable whenLive) {
            this.expect = expect;
            this.tally = tally;
            this.whenLive = whenLive;
            this.next = expect.after() + 1;
        }

        void subscribed() {
            if (whenLive != null) {
                whenLive.run();
            }
            tally.handshakes.release();
            tally.subscribed.countDown();
            if (next > expect.last()) {
                tally.caughtUp.countDown();
            }
        }

        void event(String cursor) {
            if (!cursor.equals(expect.epoch() + "-" + next)) {
                tally.wrong.incrementAndGet();
                tally.problems.add(expect + " expected offset " + next + ", got " + cursor);
            }
            next++;
            if (next == expect.last() + 1) {
                tally.caughtUp.countDown();
            }
        }

        void refused(String why) {
            tally.refused.incrementAndGet();
            tally.problems.add(expect + ": " + why);
            tally.handshakes.release();
            tally.subscribed.countDown();
            tally.caughtUp.countDown();
        }

        void unexpected(JsonObject message) {
            tally.wrong.incrementAndGet();
            tally.problems.add(expect + ": " + message);
        }

        /** A native client: subscribes after the welcome, subscribed at the ack. */
        void onNative(Channel channel, JsonObject message) {
            switch (message.get("type").getAsString()) {
                case "welcome" -> WsClient.sendText(channel, ("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\""
                        + expect.topic() + "\"" + (expect.resumes() ? ",\"resume\":{\"" + expect.topic() + "\":\""
                        + expect.epoch() + "-" + expect.after() + "\"}" : "") + "}").getBytes(StandardCharsets.UTF_8));
                case "ack" -> subscribed();
                case "event" -> event(message.get("cursor").getAsString());
                case "error" -> refused(message.toString());
                default -> unexpected(message);
            }
        }

        /** A Golioth stream: subscribed when open; its readings carry their cursor as {@code id}. */
        void onGolioth(JsonObject message) {
            if (message.has("result")) {
                event(message.get("id").getAsString());
            } else if (message.has("error")) {
                refused(message.toString());
            } else {
                unexpected(message);
            }
        }
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
        String from = options.get("from", "history");
        // now: no cursor, live only, a topic each; as a client sees its stream live, an event is published to its
        // topic, which it must get (a stream that opened before its subscription was made would miss it)
        boolean now = from.equals("now");
        if (now && clients > topics.size()) {
            throw new IllegalArgumentException("--from now gives each client a topic of its own: prepare --topics "
                    + clients + " or more");
        }
        Tally tally = new Tally(clients, options.getInt("handshakes", 200));
        List<Channel> channels = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        try (WsClient client = new WsClient(2)) {
            Channel publisher = now ? client.connect(uri, "127.0.0.1", c -> { }, (c, frame) -> { })
                    .get(10, TimeUnit.SECONDS) : null;
            for (int i = 0; i < clients; i++) {
                String[] t = topics.get(i % topics.size());
                long last = Long.parseLong(t[2]);
                Expectation expect = new Expectation(t[0], t[1], from.equals("history") ? i % last : last,
                        now ? last + 1 : last, !now);
                Resumer resumer = new Resumer(expect, tally, now ? () -> WsClient.sendText(publisher,
                        ("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"" + expect.topic()
                                + "\",\"text\":\"now\"}").getBytes(StandardCharsets.UTF_8)) : null);
                tally.handshakes.acquire();
                String source = sources.get(i % sources.size());
                CompletableFuture<Channel> opened = golioth
                        ? client.connect(goliothStream(expect.topic(),
                                now ? null : expect.epoch() + "-" + expect.after()), source,
                                channel -> resumer.subscribed(), (channel, frame) -> resumer.onGolioth(json(frame)))
                        : client.connect(uri, source, channel -> { },
                                (channel, frame) -> resumer.onNative(channel, json(frame)));
                opened.whenComplete((channel, error) -> {
                    if (error != null) {
                        resumer.refused("connect failed: " + error);
                    } else {
                        channels.add(channel);
                    }
                });
            }
            boolean allSubscribed = tally.subscribed.await(120, TimeUnit.SECONDS);
            long subscribedAt = System.nanoTime();
            boolean allCaughtUp = tally.caughtUp.await(now ? 15 : 120, TimeUnit.SECONDS);
            long end = System.nanoTime();
            System.out.printf(Locale.ROOT, "storm (%s, %s): %d clients, %d refused, %d wrong events; all subscribed in"
                            + " %.2f s%s, all caught up in %.2f s%s%s%n", golioth ? "golioth" : "native",
                    now ? "live only" : from.equals("live") ? "live end" : "from history", clients,
                    tally.refused.get(), tally.wrong.get(), (subscribedAt - start) / 1e9,
                    allSubscribed ? "" : " (TIMED OUT)", (end - start) / 1e9, allCaughtUp ? "" : " (TIMED OUT)",
                    now ? "; missed the event published as they saw the stream live: " + tally.caughtUp.getCount()
                            : "");
            tally.problems.stream().limit(5).forEach(p -> System.out.println("  " + p));
            if (options.has("hold")) {
                Thread.sleep(options.getInt("hold", 0) * 1000L);
            }
            channels.forEach(Channel::close);
        }
    }

    private static JsonObject json(io.netty.buffer.ByteBuf frame) {
        return JsonParser.parseString(frame.toString(StandardCharsets.UTF_8)).getAsJsonObject();
    }
}
