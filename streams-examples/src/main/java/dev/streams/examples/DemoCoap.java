package dev.streams.examples;

import dev.streams.auth.NewDeviceCredential;
import dev.streams.auth.StreamsAuth;
import dev.streams.coap.CoapDeviceServer;
import dev.streams.core.Broker;
import dev.streams.transport.ws.MetricSample;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's devices over CoAP (with {@code --coap-port}): Golioth's device API on UDP, a pre-shared key for each
 * simulated device (kept across restarts: derived again from the master key), and with {@code --devices-over coap}
 * the simulated devices posting over CoAP/DTLS like real ones.
 */
final class DemoCoap implements AutoCloseable {
    /** Californium tells of every start at INFO; the demo's own welcome says what matters. Held: JUL keeps it weakly. */
    private static final java.util.logging.Logger CALIFORNIUM = java.util.logging.Logger.getLogger("org.eclipse.californium");

    static {
        CALIFORNIUM.setLevel(java.util.logging.Level.WARNING);
    }

    private final DemoOptions.Coap options;
    private final String host;
    private final CoapDeviceServer server;
    private final List<NewDeviceCredential> credentials = new ArrayList<>();
    private final CoapDevices devices;

    DemoCoap(DemoOptions options, Broker broker, StreamsAuth auth, List<String> deviceIds) {
        this.options = options.coap();
        this.host = options.host();
        server = CoapDeviceServer.builder(broker, auth).host(host).dtlsPort(this.options.dtlsPort())
                .plainPort(this.options.plainPort()).build().start();
        for (String id : deviceIds) {
            credentials.add(auth.devices().recover(options.project(), id)
                    .orElseGet(() -> auth.devices().create(options.project(), id)));
        }
        devices = this.options.devicesOverCoap() ? new CoapDevices(host, server.dtlsPort(), credentials) : null;
    }

    /** Where the simulated devices send: over CoAP when asked for, else {@code otherwise}. */
    SimulatedDevices.Sink sink(SimulatedDevices.Sink otherwise) {
        return devices != null ? devices : otherwise;
    }

    /** The bound DTLS port, or -1. */
    int dtlsPort() {
        return server.dtlsPort();
    }

    /** The bound plain CoAP port, or -1. */
    int plainPort() {
        return server.plainPort();
    }

    /** The endpoint's counters. */
    java.util.Map<String, Long> metrics() {
        return server.metrics();
    }

    /** The endpoint's counters as the HTTP server's {@code /metrics} renders them. */
    List<MetricSample> samples() {
        return server.metrics().entrySet().stream().map(e -> new MetricSample(e.getKey(), e.getKey().endsWith("_total"),
                server.describe(e.getKey()), java.util.Map.of(), e.getValue())).toList();
    }

    /** The devices' credentials, for posting as one of them. */
    List<NewDeviceCredential> credentials() {
        return credentials;
    }

    void printWelcome(PrintStream out) {
        out.println("  CoAP:        " + (server.dtlsPort() >= 0 ? "coaps://" + host + ":" + server.dtlsPort() + "/.s (DTLS, device PSKs)" : "")
                + (server.plainPort() >= 0 ? "  coap://" + host + ":" + server.plainPort() + "/.s (plain)" : "")
                + (devices != null ? "; the simulated devices post over it" : ""));
        if (!credentials.isEmpty() && server.dtlsPort() >= 0) {
            NewDeviceCredential first = credentials.get(0);
            out.println("  # post as device " + first.metadata().deviceId() + " (Golioth's device API, libcoap's client)");
            out.println("  coap-client-openssl -m post -u '" + first.identity() + "' -k '" + first.psk()
                    + "' -t 50 -e '{\"temp\":21.5}' coaps://" + host + ":" + server.dtlsPort() + "/.s");
        }
    }

    @Override
    public void close() {
        if (devices != null) {
            devices.close();
        }
        server.close();
    }
}
