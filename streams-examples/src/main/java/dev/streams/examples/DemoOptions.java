package dev.streams.examples;

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
 */
public record DemoOptions(String host, int port, String project, String apiKey, int devices, double rate,
                          java.nio.file.Path dataDir, boolean inMemory) {
    /** The options without {@code inMemory}: history is durable. */
    public DemoOptions(String host, int port, String project, String apiKey, int devices, double rate,
                       java.nio.file.Path dataDir) {
        this(host, port, project, apiKey, devices, rate, dataDir, false);
    }

    static final String USAGE = """
            usage: java -jar streams-demo.jar [--port 8080] [--host 127.0.0.1] [--project demo] [--api-key KEY]
                                              [--devices 3] [--rate 1] [--data-dir streams-data] [--in-memory]
            """;

    public static DemoOptions defaults() {
        return new DemoOptions("127.0.0.1", 8080, "demo", null, 3, 1.0, java.nio.file.Path.of("streams-data"));
    }

    /** Parses {@code --name value} pairs; throws IllegalArgumentException with the usage on anything else. */
    public static DemoOptions parse(String... args) {
        DemoOptions o = defaults();
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--in-memory")) {
                o = new DemoOptions(o.host, o.port, o.project, o.apiKey, o.devices, o.rate, o.dataDir, true);
                i--;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i] + "\n" + USAGE);
            }
            String value = args[i + 1];
            try {
                o = switch (args[i]) {
                    case "--port" -> new DemoOptions(o.host, Integer.parseInt(value), o.project, o.apiKey, o.devices, o.rate, o.dataDir, o.inMemory);
                    case "--host" -> new DemoOptions(value, o.port, o.project, o.apiKey, o.devices, o.rate, o.dataDir, o.inMemory);
                    case "--project" -> new DemoOptions(o.host, o.port, value, o.apiKey, o.devices, o.rate, o.dataDir, o.inMemory);
                    case "--api-key" -> new DemoOptions(o.host, o.port, o.project, value, o.devices, o.rate, o.dataDir, o.inMemory);
                    case "--devices" -> new DemoOptions(o.host, o.port, o.project, o.apiKey, Integer.parseInt(value), o.rate, o.dataDir, o.inMemory);
                    case "--rate" -> new DemoOptions(o.host, o.port, o.project, o.apiKey, o.devices, Double.parseDouble(value), o.dataDir, o.inMemory);
                    case "--data-dir" -> new DemoOptions(o.host, o.port, o.project, o.apiKey, o.devices, o.rate,
                            java.nio.file.Path.of(value), o.inMemory);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number for " + args[i] + ": " + value + "\n" + USAGE);
            }
        }
        if (o.port < 0 || o.port > 65535 || o.devices < 0 || !(o.rate > 0)) {
            throw new IllegalArgumentException("port 0-65535, devices >= 0, rate > 0\n" + USAGE);
        }
        return o;
    }
}
