package dev.streams.examples;

import com.google.gson.JsonObject;
import dev.streams.auth.Credentials;
import dev.streams.devices.DeviceTopics;
import dev.streams.auth.Principal;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.cluster.redis.RedisClusterEngine;
import dev.streams.core.Broker;
import dev.streams.core.InvalidTopicException;
import dev.streams.core.Topics;
import dev.streams.history.SqlHistoryStore;
import dev.streams.transport.ws.ConnectionLimits;
import dev.streams.devices.DeviceIngestor;
import dev.streams.transport.ws.HttpCall;
import dev.streams.transport.ws.HttpReply;
import dev.streams.transport.ws.StreamsServer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-alone Streams server for trying things out: one project, an API key, simulated devices, and a
 * live dashboard at {@code /} that reads the Golioth project stream with a short-lived, read-only token it
 * gets from {@code GET /demo/token} (it never sees the API key).
 */
public final class DemoServer implements AutoCloseable {
    static final Duration DASHBOARD_TOKEN_TTL = Duration.ofMinutes(5);

    private final Broker broker;
    /** Durable history in the data directory, or null with --in-memory. */
    private final SqlHistoryStore history;
    /** The cluster engine with --redis, or null when the demo runs alone. */
    private final RedisClusterEngine cluster;
    private final StreamsServer server;
    private final SimulatedDevices devices;
    /** Devices over CoAP with --coap-port, or null. */
    private final DemoCoap coap;
    private final String apiKey;
    private final DemoKeys.Chosen key;
    private final DemoOptions options;
    private final StaticFiles staticFiles = new StaticFiles("dashboard");

    private DemoServer(DemoOptions options) {
        this.options = options;
        StreamsAuth auth = DemoKeys.open(options.dataDir(), options.masterKeyFile());
        key = DemoKeys.choose(auth, options.project(), options.apiKey());
        apiKey = key.key();
        Principal demo = auth.authenticate(Credentials.apiKey(apiKey));
        // The cluster first: an unreachable Redis then fails the start before anything else is open.
        if (options.redis() != null) {
            RedisClusterEngine.Builder engine = RedisClusterEngine.builder(options.redis());
            if (options.nodeName() != null) {
                engine.nodeName(options.nodeName());
            }
            cluster = engine.build();
        } else {
            cluster = null;
        }
        try {
            history = options.inMemory() ? null : SqlHistoryStore.sqlite(options.dataDir()).build();
        } catch (RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            throw e;
        }
        Broker.Builder brokerBuilder = Broker.builder();
        if (history != null) {
            brokerBuilder.historyStore(history);
        }
        if (cluster != null) {
            brokerBuilder.cluster(cluster);
        }
        broker = brokerBuilder.build();
        server = StreamsServer.builder(broker, auth).host(options.host()).port(options.port())
                .maxConnections(options.maxConnections()).maxConnectionsPerProject(options.maxConnections())
                .connectionLimits(ConnectionLimits.builder().maxPerAddress(options.maxConnectionsPerAddress()).build())
                .writeCoalescing(options.writeCoalescing())
                .fallback(staticFiles)
                .metricSource(this::coapSamples)
                .endpoint("/demo/token", call -> call.method().equals("GET") ? dashboardToken(auth, demo, call)
                        : HttpReply.json(405, "{\"code\":405,\"message\":\"use GET\"}"))
                .build();
        List<String> deviceIds = SimulatedDevices.idsOf(options.devices());
        coap = options.coap().enabled() ? new DemoCoap(options, broker, auth, deviceIds) : null;
        DeviceIngestor ingestor = new DeviceIngestor(broker);
        SimulatedDevices.Sink inProcess = (device, json) -> ingestor.ingest(options.project(), device, null, json);
        devices = new SimulatedDevices(coap != null ? coap.sink(inProcess) : inProcess, deviceIds, options.rate());
    }

    /** Starts a demo server; the caller closes it. */
    public static DemoServer start(DemoOptions options) {
        DemoServer demo = new DemoServer(options);
        try {
            demo.server.start();
        } catch (RuntimeException e) {
            // What else was open (devices, CoAP ports, the store) goes too; the reason stays the bind's.
            try {
                demo.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return demo;
    }

    /** The CoAP endpoint's counters for /metrics (none when CoAP is off); read after the constructor has run. */
    private List<dev.streams.transport.ws.MetricSample> coapSamples() {
        return coap == null ? List.of() : coap.samples();
    }

    /** The CoAP endpoint's counters (empty when CoAP is off). */
    public java.util.Map<String, Long> coapMetrics() {
        return coap == null ? java.util.Map.of() : coap.metrics();
    }

    /** Devices over CoAP, when --coap-port turned them on. */
    java.util.Optional<DemoCoap> coap() {
        return java.util.Optional.ofNullable(coap);
    }

    /**
     * A read-only token for the dashboard: for every device's stream, or with {@code ?pattern=} for that topic or
     * pattern of the demo project (the console's topic view). Each token reads only what it was asked for.
     */
    private HttpReply dashboardToken(StreamsAuth auth, Principal demo, HttpCall call) {
        List<String> asked = call.query().getOrDefault("pattern", List.of());
        String pattern = asked.isEmpty() ? DeviceTopics.ALL_DEVICES : asked.get(0);
        try {
            Topics.requirePattern(pattern);
        } catch (InvalidTopicException invalid) {
            JsonObject error = new JsonObject();
            error.addProperty("code", 400);
            error.addProperty("message", invalid.getMessage());
            return HttpReply.json(400, error.toString());
        }
        String token = auth.issueToken(demo, options.project(), List.of(pattern), DASHBOARD_TOKEN_TTL, Set.of(Scope.SUBSCRIBE));
        JsonObject reply = new JsonObject();
        reply.addProperty("token", token);
        reply.addProperty("project", options.project());
        reply.addProperty("expiresAt", Instant.now().plus(DASHBOARD_TOKEN_TTL).toString());
        return HttpReply.json(200, reply.toString());
    }

    /** The port the demo listens on. */
    public int port() {
        return server.port();
    }

    /** Dashboard files held in memory (bounded by the files that exist, whatever clients ask for). */
    int staticFilesCached() {
        return staticFiles.cachedFiles();
    }

    /** The demo project's API key (printed at start; keep it private). */
    public String apiKey() {
        return apiKey;
    }

    /** The ids of the simulated devices. */
    public List<String> deviceIds() {
        return devices.ids();
    }

    /** What to open and what to try, printed on start. */
    public void printWelcome(PrintStream out) {
        String http = "http://" + options.host() + ":" + port();
        String ws = "ws://" + options.host() + ":" + port();
        String project = options.project();
        String device = devices.ids().isEmpty() ? "61a4cfdfb2b45578105aeca5" : devices.ids().get(0);
        out.println("Streams demo server is running.");
        out.println();
        out.println("  Console:     " + http + "/");
        out.println("  Project:     " + project);
        out.println("  API key:     " + apiKey + "   (" + switch (key.origin()) {
            case GIVEN -> "from --api-key";
            case REUSED -> "the data directory's demo key, id " + key.id();
            case CREATED -> "new, id " + key.id() + "; the next start with this data directory reuses it";
        } + ")");
        out.println("  Keys:        java -jar streams-examples/target/streams-demo.jar keys list|create|revoke --data-dir "
                + options.dataDir());
        out.println("  Data:        " + options.dataDir().toAbsolutePath() + "   (master key, API keys"
                + (history != null ? " and history" : "; history in memory only") + "; keep it private)");
        out.println("  Devices:     " + devicesLine(devices.ids().size(), options.rate()));
        if (coap != null) {
            coap.printWelcome(out);
        }
        if (cluster != null) {
            out.println("  Cluster:     node " + cluster.nodeName() + " on " + options.redis()
                    + "   (every node with the same Redis and --api-key serves the same streams)");
        }
        out.println();
        out.println("Try:");
        out.println("  # publish (m3o Streams)");
        out.println("  curl -s " + http + "/v1/streams/Publish -H 'Authorization: Bearer " + apiKey
                + "' -d '{\"topic\":\"events\",\"message\":\"hello\"}'");
        out.println("  # send device data (Golioth semantics)");
        out.println("  curl -s " + http + "/v1/projects/" + project + "/devices/" + device + "/ingest -H 'x-api-key: "
                + apiKey + "' -d '{\"temp\":21.5}'");
        out.println("  # live stream of every device (Golioth LightDB Stream), with any WebSocket client");
        out.println("  " + ws + "/v1/ws/projects/" + project + "/stream?x-api-key=" + apiKey);
        out.println("  # the last hour of every device (Golioth History REST), newest first");
        out.println("  curl -s '" + http + "/v1/projects/" + project + "/stream?interval=1h&perPage=5' -H 'x-api-key: "
                + apiKey + "'");
        out.println("  # the same as Server-Sent Events");
        out.println("  curl -sN " + http + "/v1/ws/projects/" + project + "/stream -H 'Accept: text/event-stream' -H 'x-api-key: "
                + apiKey + "'");
        out.println("  # health and metrics");
        out.println("  curl -s " + http + "/healthz ; curl -s " + http + "/metrics");
    }

    /** "3 simulated, 1 reading/s each", or how to add some when there are none. */
    static String devicesLine(int count, double rate) {
        if (count == 0) {
            return "none simulated (--devices N adds some)";
        }
        String perSecond = rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
        return count + " simulated, " + perSecond + (rate == 1 ? " reading/s" : " readings/s") + " each";
    }

    /** Stops the devices and the server, then the broker, then stores what is left and closes the history. */
    @Override
    public void close() {
        devices.close();
        if (coap != null) {
            coap.close();
        }
        server.close();
        broker.close();
        if (history != null) {
            history.close();
        }
    }

    /** Whether this start found that the last run did not shut down cleanly. */
    boolean recoveredFromCrash() {
        return history != null && history.recoveredFromCrash();
    }

    /** Runs the demo until the process is stopped; see {@code --help}. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("keys")) {
            System.exit(DemoKeys.run(System.out, System.err, java.util.Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        if (DemoOptions.wantsHelp(args)) {
            new picocli.CommandLine(new DemoOptions.Cli()).execute(args);
            return;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        IdleMemory.giveBackWhenIdle();
        DemoServer demo;
        try {
            demo = start(options);
        } catch (RuntimeException e) {
            // A bad key, an unusable data directory, a port in use: one line, not a stack trace.
            System.err.println("cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        demo.printWelcome(System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }, "demo-shutdown"));
        stopped.await();
    }
}
