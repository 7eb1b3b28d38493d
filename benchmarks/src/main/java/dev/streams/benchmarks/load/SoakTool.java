package dev.streams.benchmarks.load;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.streams.auth.NewApiKey;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.transport.ws.StreamsServer;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A long run against an in-process server (so it can read its heap after GC and its file descriptors): many
 * native subscribers that must see every event exactly once, some of them dropping and resuming every
 * second; stalled clients that never read; silent TCP connections that never send a request; one publisher at
 * a steady rate. One line a minute: heap after GC, descriptors, connections, and events lost or duplicated
 * for the subscribers that kept up. Not part of the test suite: run it by hand (see benchmarks/README.md).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.streams.benchmarks.load.SoakTool --minutes 10</pre>
 */
public final class SoakTool {
    private final int minutes;
    private final int keepers;
    private final int topics;
    private final int ratePerTopic;
    private final int churnPerSecond;
    private final int stalled;
    private final int silentPerSecond;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong reportedGaps = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final List<Keeper> keeperList = new ArrayList<>();

    private SoakTool(Map<String, String> args) {
        minutes = Integer.parseInt(args.getOrDefault("minutes", "10"));
        keepers = Integer.parseInt(args.getOrDefault("keepers", "1000"));
        topics = Integer.parseInt(args.getOrDefault("topics", "100"));
        ratePerTopic = Integer.parseInt(args.getOrDefault("rate", "10"));
        churnPerSecond = Integer.parseInt(args.getOrDefault("churn", "20"));
        stalled = Integer.parseInt(args.getOrDefault("stalled", "50"));
        silentPerSecond = Integer.parseInt(args.getOrDefault("silent", "20"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        new SoakTool(args).run();
    }

    /** One subscriber that checks its topic's offsets: every event once, in order, or an explicit gap. */
    private final class Keeper {
        final String topic;
        volatile Channel channel;
        long epoch = -1;
        long last;
        long pendingGap;

        Keeper(String topic) {
            this.topic = topic;
        }

        synchronized String subscribeRequest() {
            String resume = epoch < 0 ? "" : ",\"resume\":{\"" + topic + "\":\"" + epoch + "-" + last + "\"}";
            return "{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"" + topic + "\"" + resume + "}";
        }

        synchronized void onFrame(byte[] bytes) {
            JsonObject frame = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
            String type = frame.get("type").getAsString();
            if (type.equals("gap")) {
                reportedGaps.incrementAndGet();
                pendingGap = frame.get("missed").getAsLong();
                return;
            }
            if (!type.equals("event")) {
                return;
            }
            received.incrementAndGet();
            String[] cursor = frame.get("cursor").getAsString().split("-");
            long e = Long.parseLong(cursor[0]);
            long o = Long.parseLong(cursor[1]);
            if (epoch >= 0 && e == epoch) {
                if (o <= last) {
                    duplicated.incrementAndGet();
                    return;
                }
                long missing = o - last - 1 - Math.max(0, pendingGap);
                if (missing > 0) {
                    lost.addAndGet(missing);
                }
            } else if (epoch >= 0 && pendingGap == 0) {
                lost.incrementAndGet();
            }
            pendingGap = 0;
            epoch = e;
            last = o;
        }
    }

    private void run() throws Exception {
        StreamsAuth auth = StreamsAuth.builder().masterKey(new SecureRandom().generateSeed(32)).build();
        NewApiKey key = auth.createKey("soak", "soak", EnumSet.allOf(Scope.class));
        Broker broker = Broker.create();
        StreamsServer server = StreamsServer.builder(broker, auth).port(0).requestTimeout(Duration.ofSeconds(5))
                .maxConnections(20_000).build().start();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws/native?x-api-key=" + key.key());
        System.out.printf("soak: %d minutes, %d keepers on %d topics at %d events/s each, churn %d/s, %d stalled,"
                + " %d silent TCP/s, port %d%n", minutes, keepers, topics, ratePerTopic, churnPerSecond, stalled,
                silentPerSecond, server.port());
        try (WsClient client = new WsClient(2)) {
            for (int i = 0; i < keepers; i++) {
                Keeper keeper = new Keeper("soak.t" + (i % topics));
                keeperList.add(keeper);
                connect(client, uri, keeper);
            }
            for (int i = 0; i < stalled; i++) {
                client.connect(uri, null, ch -> {
                    WsClient.sendText(ch, "{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"soak.>\"}"
                            .getBytes(StandardCharsets.UTF_8));
                    ch.config().setAutoRead(false);
                }, (ch, frame) -> { }).get(10, TimeUnit.SECONDS);
            }
            Thread publisher = startPublisher(broker);
            ConcurrentLinkedQueue<Socket> silent = new ConcurrentLinkedQueue<>();
            long start = System.nanoTime();
            long nextReport = start + TimeUnit.MINUTES.toNanos(1);
            long end = start + TimeUnit.MINUTES.toNanos(minutes);
            System.out.println("minute,heap_after_gc_mib,fds,connections,received,lost,duplicated,gaps,reconnects");
            report(0, server);
            int minute = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                for (int i = 0; i < churnPerSecond; i++) {
                    Keeper k = keeperList.get(ThreadLocalRandom.current().nextInt(keeperList.size()));
                    Channel ch = k.channel;
                    if (ch != null) {
                        ch.close();
                    }
                }
                for (int i = 0; i < silentPerSecond; i++) {
                    silent.add(openSilent(server.port()));
                }
                silent.removeIf(Socket::isClosed);
                if (System.nanoTime() >= nextReport) {
                    minute++;
                    nextReport += TimeUnit.MINUTES.toNanos(1);
                    report(minute, server);
                }
            }
            publisher.interrupt();
            publisher.join();
            Thread.sleep(2000);
            report(minute + 1, server);
            for (Socket s : silent) {
                s.close();
            }
        }
        server.close();
        broker.close();
        System.out.printf("total: received %d, lost %d, duplicated %d, explicit gaps %d, reconnects %d%n",
                received.get(), lost.get(), duplicated.get(), reportedGaps.get(), reconnects.get());
    }

    private void connect(WsClient client, URI uri, Keeper keeper) {
        client.connect(uri, null, ch -> {
            keeper.channel = ch;
            ch.closeFuture().addListener(closed -> {
                keeper.channel = null;
                reconnects.incrementAndGet();
                ch.eventLoop().schedule(() -> connect(client, uri, keeper), 50, TimeUnit.MILLISECONDS);
            });
            WsClient.sendText(ch, keeper.subscribeRequest().getBytes(StandardCharsets.UTF_8));
        }, (ch, frame) -> keeper.onFrame(io.netty.buffer.ByteBufUtil.getBytes(frame))).exceptionally(failed -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connect(client, uri, keeper);
            return null;
        });
    }

    private Thread startPublisher(Broker broker) {
        Thread publisher = new Thread(() -> {
            long intervalNanos = 1_000_000_000L / ratePerTopic;
            long next = System.nanoTime();
            byte[] payload = "{\"reading\":21.5,\"pad\":\"0123456789012345678901234567890123456789\"}"
                    .getBytes(StandardCharsets.UTF_8);
            while (!Thread.currentThread().isInterrupted()) {
                for (int t = 0; t < topics; t++) {
                    broker.publish("soak", "soak.t" + t, "application/json", payload, Map.of());
                }
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "soak-publisher");
        publisher.start();
        return publisher;
    }

    private static Socket openSilent(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        OutputStream out = socket.getOutputStream();
        out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread reader = new Thread(() -> {
            try {
                while (socket.getInputStream().read() >= 0) {
                    // wait for the server to close it
                }
            } catch (IOException ignored) {
                // closed
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        return socket;
    }

    private void report(int minute, StreamsServer server) throws IOException {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long fds;
        try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
            fds = list.count();
        }
        String metrics = new String(new java.net.URL("http://127.0.0.1:" + server.port() + "/metrics").openStream()
                .readAllBytes(), StandardCharsets.UTF_8);
        long connections = metrics.lines().filter(l -> l.startsWith("streams_connections{"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
        System.out.printf("%d,%.1f,%d,%d,%d,%d,%d,%d,%d%n", minute, heap / 1048576.0, fds, connections, received.get(),
                lost.get(), duplicated.get(), reportedGaps.get(), reconnects.get());
    }
}
