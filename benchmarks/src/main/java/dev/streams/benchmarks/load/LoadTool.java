package dev.streams.benchmarks.load;

import io.netty.channel.Channel;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * End-to-end load against a running server, Streams or nats-server, with the same client code for both.
 * Modes: {@code fanout} (N subscribers of one topic, one publisher at a fixed rate or as fast as the socket
 * takes; delivered/s, latency percentiles, connection set-up rate) and {@code idle} (N idle subscribed
 * connections; server memory per connection). Prints a line a second; writes CSV and appends a Markdown row.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.streams.benchmarks.load.LoadTool --target streams \
 *     --url ws://127.0.0.1:8080 --api-key KEY --subscribers 1000 --seconds 10 --out benchmarks/results
 * </pre>
 *
 * <p>{@code --url} may list several servers (comma-separated, the nodes of a cluster): subscribers are spread
 * over them evenly and the publisher connects to the first. {@code --inflight N} bounds the messages in flight,
 * counted against the first subscriber or, with {@code --inflight-of slowest}, against every one
 * ({@link InFlightGate}). Frames are read where they lie in the bytes read ({@link LeanFrameReader});
 * {@code --frames netty} reads them with Netty's decoder instead, as earlier rows were.
 */
public final class LoadTool {
    private final Options options;
    private final Target target;
    /** The servers; subscribers are spread over them evenly, a publisher uses the first. */
    private final List<URI> uris = new ArrayList<>();
    /** Where the publisher connects: the first server, in the publisher's protocol. */
    private final URI publisherUri;
    private final String topic;
    private final Topics topics;
    private final List<String> sources;
    private final PrintStream out = System.out;
    private final ServerProbe probe;

    private LoadTool(Options options) {
        this.options = options;
        this.target = switch (options.get("target", "streams")) {
            case "nats" -> Target.nats();
            case "golioth" -> Target.golioth(options.get("api-key", ""));
            default -> Target.streams(options.get("api-key", ""), Boolean.parseBoolean(options.get("batch", "false")));
        };
        this.topic = target.topic();
        this.topics = new Topics(topic, options.getInt("topics", 1), options.getInt("subscribers", 1000),
                options.getInt("inflight", 0) > 0,
                options.get("target", "streams").equals("golioth"));
        String[] urls = options.get("url", "ws://127.0.0.1:8080").split(",");
        for (String url : urls) {
            uris.add(URI.create(url + target.path()));
        }
        this.publisherUri = URI.create(urls[0] + target.publisher().path());
        this.sources = List.of(options.get("sources", "127.0.0.1").split(","));
        this.probe = new ServerProbe(options.get("pid", null), options.get("metrics", null));
    }



    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        LoadTool tool = new LoadTool(options);
        if (tool.options.get("mode", "fanout").equals("idle")) {
            tool.idle();
        } else if (tool.options.get("mode", "fanout").equals("publish")) {
            tool.publish();
        } else if (tool.options.get("mode", "fanout").equals("http")) {
            tool.httpIngest();
        } else {
            tool.fanout();
        }
        System.exit(0);
    }

    /** Opens {@code count} subscribed connections; returns them and prints the set-up rate. */
    private List<Channel> openSubscribers(WsClient client, int count, WsClient.FrameHandler onFrame) throws Exception {
        return open(client, count, onFrame, target, uris);
    }

    /** Opens the publisher's connection (subscribed too, where its protocol acknowledges with a frame). */
    private Channel openPublisher(WsClient client) throws Exception {
        return open(client, 1, (c, f) -> { }, target.publisher(), List.of(publisherUri)).get(0);
    }

    private List<Channel> open(WsClient client, int count, WsClient.FrameHandler onFrame, Target target, List<URI> uris)
            throws Exception {
        Semaphore inFlight = new Semaphore(200);
        List<CompletableFuture<Channel>> subscribed = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            String topicOfThis = topics.ofSubscriber(i);
            CompletableFuture<Channel> ready = new CompletableFuture<>();
            subscribed.add(ready);
            client.connect(uris.get(i % uris.size()), sources.get(i % sources.size()), channel -> {
                // A connection the server closes before it confirms the subscription (a refused credential, a
                // limit) fails the set-up with a reason instead of holding its permit for ever.
                channel.closeFuture().addListener(closed -> {
                    if (ready.completeExceptionally(new IllegalStateException(
                            "the server closed a connection before confirming its subscription"))) {
                        inFlight.release();
                    }
                });
                String[] frames = target.subscribeFrames(topicOfThis);
                for (String frame : frames) {
                    WsClient.sendText(channel, frame.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                if (frames.length == 0 && !ready.isDone()) {
                    // Subscribed by the handshake itself (a Golioth stream): nothing confirms it.
                    ready.complete(channel);
                    inFlight.release();
                }
            }, (channel, frame) -> {
                if (!ready.isDone() && target.isSubscribed(frame)) {
                    ready.complete(channel);
                    inFlight.release();
                }
                onFrame.onFrame(channel, frame);
            }).whenComplete((channel, error) -> {
                if (error != null) {
                    ready.completeExceptionally(error);
                    inFlight.release();
                }
            });
        }
        List<Channel> channels = new ArrayList<>(count);
        for (CompletableFuture<Channel> f : subscribed) {
            channels.add(f.get(60, TimeUnit.SECONDS));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "%s: %d subscribers connected and subscribed in %.2f s (%.0f connections/s)%n",
                target.name(), count, seconds, count / seconds);
        return channels;
    }

    /**
     * Publish throughput from one connection, with acks: publish frames pipelined, at most {@code --window}
     * (default 256) unacknowledged, for {@code --seconds}; reports acknowledged publishes per second.
     */
    private void publish() throws Exception {
        int seconds = options.getInt("seconds", 10);
        int window = options.getInt("window", 256);
        int size = options.getInt("size", 128);
        LongAdder acked = new LongAdder();
        try (WsClient client = new WsClient(1)) {
            Channel publisher = openSubscribers(client, 1, (channel, frame) -> {
                if (Bytes.contains(frame, Bytes.CURSOR)) {
                    acked.increment();
                }
            }).get(0);
            long sent = 0;
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                if (sent - acked.sum() < window && publisher.isWritable()) {
                    WsClient.sendText(publisher, target.publishFrame(topic, Bytes.payload(System.nanoTime(), size)));
                    sent++;
                } else {
                    LockSupport.parkNanos(10_000);
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "%s: %,.0f acknowledged publishes/s from one connection (%d B, window %d)%n",
                    target.name(), acked.sum() / elapsed, size, window);
        }
    }

    /**
     * HTTP device ingestion from one keep-alive connection, pipelined: at most {@code --window} requests
     * (default 64) unanswered, for {@code --seconds}; reports answered (200) requests per second. The URL is the
     * server's HTTP base ({@code --url http://127.0.0.1:18090}); Streams only.
     */
    private void httpIngest() throws Exception {
        int seconds = options.getInt("seconds", 10);
        int window = options.getInt("window", 64);
        URI base = URI.create(options.get("url", "http://127.0.0.1:18090"));
        byte[] body = "{\"temp\":21.53,\"humidity\":48.2,\"pad\":\"0123456789012345678901234567890123456789012345\"}"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] request = ("POST /v1/projects/bench/devices/d1/ingest HTTP/1.1\r\nHost: x\r\nx-api-key: "
                + options.get("api-key", "") + "\r\nContent-Length: " + body.length + "\r\n\r\n"
                + new String(body, java.nio.charset.StandardCharsets.US_ASCII)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] ok = "HTTP/1.1 200".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setTcpNoDelay(true);
            java.io.InputStream in = socket.getInputStream();
            java.io.OutputStream outStream = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            LongAdder answered = new LongAdder();
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[64 * 1024];
                int matched = 0;
                try {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        for (int i = 0; i < n; i++) {
                            matched = buffer[i] == ok[matched] ? matched + 1 : (buffer[i] == ok[0] ? 1 : 0);
                            if (matched == ok.length) {
                                answered.increment();
                                matched = 0;
                            }
                        }
                    }
                } catch (IOException closed) {
                    // done
                }
            });
            reader.setDaemon(true);
            reader.start();
            long sent = 0;
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                long room = window - (sent - answered.sum());
                if (room > 0) {
                    for (long i = 0; i < room; i++) {
                        outStream.write(request);
                    }
                    outStream.flush();
                    sent += room;
                } else {
                    LockSupport.parkNanos(10_000);
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "http ingest: %,.0f answered requests/s from one connection (window %d)%n",
                    answered.sum() / elapsed, window);
        }
    }

    /** Messages published so far (warm-up included), for --inflight. */
    private long totalSent;

    /** Sends one stamped message; every one counts toward those in flight. */
    private void publishOne(Channel publisher, int size, boolean readings, java.util.Random random) {
        totalSent++;
        byte[] payload = readings ? Bytes.readingsPayload(System.nanoTime(), size, random)
                : Bytes.payload(System.nanoTime(), size);
        WsClient.sendText(publisher, target.publishFrame(topics.next(), payload));
    }

    private void fanout() throws Exception {
        int subscribers = options.getInt("subscribers", 1000);
        int size = options.getInt("size", 128);
        int rate = options.getInt("rate", 0);
        int seconds = options.getInt("seconds", 10);
        // With --inflight N the publisher waits until one subscriber (or every one, see InFlightGate) has received
        // all but N of what it sent: both servers are compared at the same number of messages in flight.
        int inflight = options.getInt("inflight", 0);
        InFlightGate gate = new InFlightGate(options.get("inflight-of", "first"), inflight);
        Receipts receipts = new Receipts();
        boolean readings = options.get("payload", "filler").equals("readings");
        java.util.Random random = new java.util.Random(1);
        try (WsClient client = new WsClient(options.getInt("client-threads", 2),
                WsClient.Frames.of(options.get("frames", "lean"),
                        Boolean.parseBoolean(options.get("deflate", "false"))))) {
            long setupStart = System.nanoTime();
            List<Channel> channels = openSubscribers(client, subscribers, (channel, frame) -> {
                byte[] answer = target.answer(frame);
                if (answer != null) {
                    WsClient.sendText(channel, answer);
                }
                gate.received(channel, receipts.frame(frame));
            });
            gate.subscribers(channels);
            double setupRate = subscribers / ((System.nanoTime() - setupStart) / 1e9);
            Channel publisher = openPublisher(client);
            LongSupplier inFlight = () -> gate.inFlight(totalSent);
            Runnable send = () -> publishOne(publisher, size, readings, random);
            int warmup = options.getInt("warmup", 0);
            if (warmup > 0) {
                // Same traffic, not recorded: lets a JIT-compiled server reach steady state before measuring.
                long warmEnd = System.nanoTime() + warmup * 1_000_000_000L;
                SendPacing warm = new SendPacing(rate, inflight, inFlight);
                long now;
                while ((now = System.nanoTime()) < warmEnd) {
                    warm.sendOrWait(now, publisher, send);
                }
                out.printf(Locale.ROOT, "warm-up: %d s, %,d published%n", warmup, warm.count());
                Thread.sleep(2000);
            }
            Thread.sleep(500);

            Path outDir = Path.of(options.get("out", "benchmarks/results"));
            Files.createDirectories(outDir);
            Path csv = outDir.resolve(target.name() + "-fanout-" + subscribers + ".csv");
            List<String> rows = new ArrayList<>(List.of("second,sent_per_s,delivered_per_s,p50_us,p99_us,p999_us"));
            Histogram total = new Histogram(3);
            ServerProbe.Syscalls syscalls = probe.countSyscalls(seconds);
            ServerProbe.Cost costBefore = probe.cost();
            SendPacing pacing = new SendPacing(rate, inflight, inFlight);
            long owedBefore = topics.deliveriesOwed();
            long start = System.nanoTime();
            receipts.startWindow(start);
            long nextReport = start + 1_000_000_000L;
            long lastSent = 0;
            int second = 0;
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                pacing.sendOrWait(now, publisher, send);
                long sent = pacing.count();
                if (now >= nextReport) {
                    second++;
                    Histogram interval = receipts.interval();
                    total.add(interval);
                    long delivered = receipts.secondEnded();
                    rows.add(row(second, sent - lastSent, delivered, interval));
                    out.printf(Locale.ROOT, "[%2d s] sent %,d/s  delivered %,d/s  p50 %,d us  p99 %,d us%n", second,
                            sent - lastSent, delivered, interval.getValueAtPercentile(50),
                            interval.getValueAtPercentile(99));
                    lastSent = sent;
                    nextReport += 1_000_000_000L;
                }
            }
            long publishEnded = System.nanoTime();
            // What the server spent in the window, per message delivered in it: steadier than throughput.
            ServerProbe.Cost costAtEnd = probe.cost();
            long deliveredInWindow = receipts.received();
            long sent = pacing.count();
            long expected = topics.deliveriesOwed() - owedBefore;
            long settleDeadline = publishEnded + TimeUnit.SECONDS.toNanos(10);
            while (receipts.ofWindow() < expected && System.nanoTime() < settleDeadline) {
                Thread.sleep(10);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            total.add(receipts.interval());
            Files.write(csv, rows);
            long got = receipts.received();
            long lost = expected - receipts.ofWindow();
            String summary = String.format(Locale.ROOT,
                    "| %s | %s | %d | %d B | %s | %,d | %,.0f | %.3f %% | %,d | %,d | %,d | %,.0f |", LocalDate.now(),
                    target.name(), subscribers, size, rate == 0 ? (inflight == 0 ? "max" : inflight + " in flight" + gate.label()) : rate + "/s", sent, got / elapsed,
                    expected == 0 ? 0.0 : 100.0 * lost / expected, total.getValueAtPercentile(50),
                    total.getValueAtPercentile(99), total.getValueAtPercentile(99.9), setupRate);
            out.println("| date | target | subscribers | size | rate | published | delivered/s | lost | p50 us | p99 us | p999 us | conn/s |");
            out.println(summary);
            Files.writeString(outDir.resolve("fanout.md"), summary + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            // Read again after the wait, outside the window: the first read came with the cost at its start.
            long droppedBefore = costBefore == null ? -1 : costBefore.dropped();
            out.println(receipts.windowLine(expected, droppedBefore < 0 ? -1 : probe.dropped() - droppedBefore));
            String cost = ServerProbe.perDelivery(costBefore, costAtEnd, syscalls, deliveredInWindow);
            if (cost != null) {
                out.println(cost);
            }
            for (Channel c : channels) {
                c.close();
            }
        }
    }

    private static String row(int second, long sent, long delivered, Histogram h) {
        return second + "," + sent + "," + delivered + "," + h.getValueAtPercentile(50) + "," + h.getValueAtPercentile(99)
                + "," + h.getValueAtPercentile(99.9);
    }

    /** Server memory per idle subscribed connection: RSS of the server's process, and for Streams heap + direct. */
    private void idle() throws Exception {
        int count = options.getInt("connections", 10_000);
        try (WsClient client = new WsClient(options.getInt("client-threads", 2))) {
            ServerProbe.Memory before = probe.memory();
            List<Channel> channels = openSubscribers(client, count, (channel, frame) -> {
                byte[] answer = target.answer(frame);
                if (answer != null) {
                    WsClient.sendText(channel, answer);
                }
            });
            // --settle: seconds idle before measuring (a collector that gives memory back needs a few).
            Thread.sleep(options.getInt("settle", 3) * 1000L);
            ServerProbe.Memory after = probe.memory();
            String summary = String.format(Locale.ROOT, "| %s | %s | %,d | %,d B | %s |", LocalDate.now(), target.name(),
                    count, (after.rss() - before.rss()) / count,
                    !probe.hasMetrics() ? "n/a" : String.format(Locale.ROOT, "%,d B", (after.javaBytes() - before.javaBytes()) / count));
            out.println("| date | target | idle connections | RSS per connection | heap+direct per connection |");
            out.println(summary);
            Path outDir = Path.of(options.get("out", "benchmarks/results"));
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve("idle.md"), summary + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            // --hold keeps the connections open a while longer, for a heap histogram of the server.
            Thread.sleep(options.getInt("hold", 0) * 1000L);
            for (Channel c : channels) {
                c.close();
            }
        }
    }
}
