package dev.streams.examples;

import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.core.StartPosition;
import dev.streams.devices.DeviceIngestor;
import dev.streams.transport.ws.StreamsServer;
import java.util.EnumSet;
import java.util.function.Consumer;

/** A device gateway embedding Streams: it serves WebSocket clients, ingests data from its own code, listens in-process. */
public final class GatewayExample {
    /** Runs the example: a gateway embeds a server, ingests a reading and a client reads it; {@code log} gets each step. */
    public static void run(byte[] masterKey, Consumer<String> log) throws InterruptedException {
        try (Broker broker = Broker.create()) {
            StreamsAuth auth = StreamsAuth.builder().masterKey(masterKey).build();
            String key = auth.createKey("plant-7", "dashboards", EnumSet.of(Scope.SUBSCRIBE)).key();
            try (StreamsServer server = StreamsServer.builder(broker, auth).port(0).build().start()) {
                log.accept("serving ws://127.0.0.1:" + server.port() + "/v1/ws/projects/plant-7/stream?x-api-key=" + key);

                // In-process: react to every device's readings without any network hop.
                broker.subscribe("plant-7", "devices.*.stream", StartPosition.latest(),
                        event -> log.accept(event.attributes().get("deviceId") + " " + event.payloadAsString()));

                // The gateway's own radio code hands readings over as they arrive.
                DeviceIngestor devices = new DeviceIngestor(broker);
                devices.ingest("plant-7", "press-1", "pressure", "4.2");
                devices.ingest("plant-7", "press-2", null, "{\"pressure\":3.9,\"ts\":1700000000000}");
                Thread.sleep(200);
            }
        }
    }

    /** Runs the example with a random master key, logging to standard output. */
    public static void main(String[] args) throws InterruptedException {
        run("change-me-to-a-32-byte-server-secret!".getBytes(java.nio.charset.StandardCharsets.UTF_8), System.out::println);
    }
}
