package dev.streams.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command-line options of the demo server.
 *
 * @param host    address to bind
 * @param port    port (0 picks a free one)
 * @param project the demo project
 * @param apiKey  a key to use (from an earlier run), or null to create one
 * @param devices simulated devices
 * @param rate    readings per second per device
 * @param dataDir  where the demo keeps its master key, API keys (owner-only) and history, so they survive
 *                 restarts
 * @param inMemory keep history in memory only (a restart loses it)
 * @param redis    the Redis of a cluster to join ({@code redis://host:port}), or null to run alone
 * @param nodeName this node's name in the cluster, or null for a unique one
 * @param maxConnections open connections the server takes, of the whole server and of the demo project
 * @param maxConnectionsPerAddress open connections from one source address
 * @param masterKeyFile the master key to use instead of the data directory's own (shared by a cluster's
 *                      nodes, so that each accepts the others' tokens and key JWTs), or null
 * @param coap     devices over CoAP: the DTLS and plain ports (-1 each when off) and whether the simulated
 *                 devices post over it
 * @param writeCoalescing the server's write coalescing (see {@code StreamsServer.Builder.writeCoalescing});
 *                 zero, the server's default, spaces a loop's back-to-back writes by their own length only
 *                 ({@code StreamsServer.Builder.maxWriteHold})
 */
public record DemoOptions(String host, int port, String project, String apiKey, int devices, double rate,
                          java.nio.file.Path dataDir, boolean inMemory, String redis, String nodeName,
                          int maxConnections, int maxConnectionsPerAddress, java.nio.file.Path masterKeyFile,
                          Coap coap, java.time.Duration writeCoalescing) {
    /**
     * Golioth's device API over CoAP.
     *
     * @param dtlsPort        UDP port for CoAP over DTLS with device PSKs (0 for a free one), or -1 when off
     * @param plainPort       UDP port for plain CoAP, or -1 when off (the default)
     * @param devicesOverCoap the simulated devices post over CoAP/DTLS instead of calling the ingestor
     */
    public record Coap(int dtlsPort, int plainPort, boolean devicesOverCoap) {
        /** CoAP off. */
        public static final Coap OFF = new Coap(-1, -1, false);

        /** Whether any CoAP port is open. */
        public boolean enabled() {
            return dtlsPort >= 0 || plainPort >= 0;
        }
    }

    /** The server's default connection limit, which the demo keeps unless told otherwise. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    /** The options without {@code inMemory}: history is durable, and the server runs alone. */
    public DemoOptions(String host, int port, String project, String apiKey, int devices, double rate,
                       java.nio.file.Path dataDir) {
        this(host, port, project, apiKey, devices, rate, dataDir, false, null, null, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_CONNECTIONS, null, Coap.OFF, java.time.Duration.ZERO);
    }

    /** The same options, joining the cluster on {@code redisUri} as {@code name} (null: a unique name). */
    public DemoOptions inCluster(String redisUri, String name) {
        return new DemoOptions(host, port, project, apiKey, devices, rate, dataDir, inMemory, redisUri, name,
                maxConnections, maxConnectionsPerAddress, masterKeyFile, coap, writeCoalescing);
    }

    /** The same options with the cluster's shared master key in {@code file}. */
    public DemoOptions withMasterKeyFile(java.nio.file.Path file) {
        return new DemoOptions(host, port, project, apiKey, devices, rate, dataDir, inMemory, redis, nodeName,
                maxConnections, maxConnectionsPerAddress, file, coap, writeCoalescing);
    }

    /** The same options with devices over CoAP. */
    public DemoOptions withCoap(Coap coap) {
        return new DemoOptions(host, port, project, apiKey, devices, rate, dataDir, inMemory, redis, nodeName,
                maxConnections, maxConnectionsPerAddress, masterKeyFile, coap, writeCoalescing);
    }

    /** The options with every default: port 8080, project demo, 3 devices at 1 reading/s, ./streams-data. */
    public static DemoOptions defaults() {
        return new DemoOptions("127.0.0.1", 8080, "demo", null, 3, 1.0, java.nio.file.Path.of("streams-data"));
    }

    /** The command line as picocli reads it: names, defaults and help text in one place. */
    @Command(name = "streams-demo", mixinStandardHelpOptions = true, version = "Streams demo 0.1.0-SNAPSHOT",
            description = "A Streams server with simulated devices and a live dashboard.",
            footer = "Run it with: java -jar streams-examples/target/streams-demo.jar [options]")
    static final class Cli {
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default ${DEFAULT-VALUE})")
        String host;
        @Option(names = "--port", defaultValue = "8080", description = "port, 0 picks a free one (default ${DEFAULT-VALUE})")
        int port;
        @Option(names = "--project", defaultValue = "demo", description = "the demo project (default ${DEFAULT-VALUE})")
        String project;
        @Option(names = "--api-key", description = "reuse a key printed by an earlier run (stk_<16 hex>_<secret>)")
        String apiKey;
        @Option(names = "--devices", defaultValue = "3", description = "simulated devices (default ${DEFAULT-VALUE})")
        int devices;
        @Option(names = "--rate", defaultValue = "1", description = "readings per second per device (default ${DEFAULT-VALUE})")
        double rate;
        @Option(names = "--data-dir", defaultValue = "streams-data",
                description = "master key, API keys and history (default ${DEFAULT-VALUE})")
        java.nio.file.Path dataDir;
        @Option(names = "--in-memory", description = "keep history in memory only (a restart loses it)")
        boolean inMemory;
        @Option(names = "--redis", paramLabel = "URI",
                description = "join the cluster on this Redis, e.g. redis://127.0.0.1:6379 (default: run alone)")
        String redis;
        @Option(names = "--node-name", description = "this node's name in the cluster (default: a unique one)")
        String nodeName;
        @Option(names = "--max-connections", defaultValue = "10000",
                description = "open connections the server takes, in all and for the demo project (default ${DEFAULT-VALUE})")
        int maxConnections;
        @Option(names = "--max-connections-per-address", paramLabel = "N",
                description = "open connections from one address (default: --max-connections, since a demo on"
                        + " 127.0.0.1 is all one address; the server's own default is 1000)")
        Integer maxConnectionsPerAddress;
        @Option(names = "--master-key-file", paramLabel = "FILE",
                description = "the master key (base64, 32+ bytes) instead of the data directory's own; give every"
                        + " node of a cluster the same file so each accepts the others' tokens and key JWTs")
        java.nio.file.Path masterKeyFile;
        @Option(names = "--coap-port", paramLabel = "PORT",
                description = "serve Golioth's device API over CoAP/DTLS with device PSKs on this UDP port (usually"
                        + " 5684; 0 picks a free one; default: off)")
        Integer coapPort;
        @Option(names = "--coap-plain-port", paramLabel = "PORT",
                description = "also plain CoAP on this UDP port (usually 5683), for a network you trust: devices"
                        + " send their key in clear (default: off)")
        Integer coapPlainPort;
        @Option(names = "--devices-over", paramLabel = "java|coap", defaultValue = "java",
                description = "how the simulated devices send readings: in-process, or over CoAP/DTLS (needs"
                        + " --coap-port) (default ${DEFAULT-VALUE})")
        String devicesOver;
        @Option(names = "--write-coalescing-ms", paramLabel = "MS", defaultValue = "0",
                description = "let an event loop's writes to many connections wait up to this long, so each"
                        + " carries more events: fewer system calls for up to this much latency, 0-1000"
                        + " (default ${DEFAULT-VALUE}: only as long as a busy loop's last pass took)")
        double writeCoalescingMs;
    }

    /** The usage text, as {@code --help} prints it. */
    static String usage() {
        return new CommandLine(new Cli()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /**
     * Parses the command line; throws IllegalArgumentException with a one-line reason (and the usage) on
     * anything it cannot use.
     */
    public static DemoOptions parse(String... args) {
        Cli cli = new Cli();
        try {
            new CommandLine(cli).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + usage());
        }
        int perAddress = cli.maxConnectionsPerAddress == null ? cli.maxConnections : cli.maxConnectionsPerAddress;
        if (cli.port < 0 || cli.port > 65535 || cli.devices < 0 || !(cli.rate > 0) || cli.maxConnections < 1
                || perAddress < 1) {
            throw new IllegalArgumentException(
                    "port 0-65535, devices >= 0, rate > 0, max-connections(-per-address) >= 1\n" + usage());
        }
        if (cli.nodeName != null && cli.redis == null) {
            throw new IllegalArgumentException("--node-name names a cluster node; give --redis too\n" + usage());
        }
        Coap coap = new Coap(udpPort(cli.coapPort, "--coap-port"), udpPort(cli.coapPlainPort, "--coap-plain-port"),
                cli.devicesOver.equals("coap"));
        if (!cli.devicesOver.equals("java") && !coap.devicesOverCoap()) {
            throw new IllegalArgumentException("--devices-over takes java or coap\n" + usage());
        }
        if (coap.devicesOverCoap() && coap.dtlsPort() < 0) {
            throw new IllegalArgumentException("--devices-over coap posts over CoAP/DTLS; give --coap-port too\n" + usage());
        }
        if (!(cli.writeCoalescingMs >= 0 && cli.writeCoalescingMs <= 1000)) {
            throw new IllegalArgumentException("--write-coalescing-ms takes 0-1000\n" + usage());
        }
        java.time.Duration coalescing = java.time.Duration.ofNanos(Math.round(cli.writeCoalescingMs * 1_000_000));
        return new DemoOptions(cli.host, cli.port, cli.project, cli.apiKey, cli.devices, cli.rate, cli.dataDir,
                cli.inMemory, cli.redis, cli.nodeName, cli.maxConnections, perAddress, cli.masterKeyFile, coap,
                coalescing);
    }

    private static int udpPort(Integer port, String option) {
        if (port == null) {
            return -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " takes a port 0-65535\n" + usage());
        }
        return port;
    }

    /** Whether the command line asks for the usage or the version rather than a server. */
    static boolean wantsHelp(String... args) {
        CommandLine line = new CommandLine(new Cli());
        try {
            line.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return false;
        }
        return line.isUsageHelpRequested() || line.isVersionHelpRequested();
    }
}
