package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Await;
import dev.streams.core.Broker;
import dev.streams.transport.ws.HttpReply;
import dev.streams.transport.ws.StreamsServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Chromium's own EventSource reads a device stream while the server goes away and comes back on the same port:
 * the browser reconnects by itself with Last-Event-ID, and every reading arrives once, in order.
 */
class EventSourceTest {
    private final Broker broker = Broker.create();
    private final StreamsAuth auth = StreamsAuth.builder().masterKey(new byte[32]).build();
    private final String key = auth.createKey("demo", "sse", EnumSet.allOf(Scope.class)).key();
    private final CopyOnWriteArrayList<String> output = new CopyOnWriteArrayList<>();

    private StreamsServer server(int port) {
        return StreamsServer.builder(broker, auth).port(port)
                .fallback(call -> call.path().equals("/") ? new HttpReply(200, "text/html", "<title>sse</title>"
                        .getBytes(StandardCharsets.UTF_8)) : null)
                .build().start();
    }

    private void publish(int n) {
        broker.publish("demo", "devices.d1.stream", "application/json",
                ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8), Map.of("deviceId", "d1"));
    }

    private void await(Predicate<String> line, String what) {
        Await.until(() -> output.stream().anyMatch(line), java.time.Duration.ofSeconds(30), () -> what + "; output so far: " + output);
    }

    @Test
    void theBrowserResumesAcrossAServerRestartWithNoGapAndNoDuplicate() throws Exception {
        ThirdPartyClientsTest.require(ThirdPartyClientsTest.nodeModules("playwright-core")
                && new File("/usr/bin/chromium").exists(), "Debian package chromium and npm package playwright-core");
        StreamsServer first = server(0);
        int port = first.port();
        Process node = new ProcessBuilder("node", "eventsource.js", "http://127.0.0.1:" + port, key, "10")
                .directory(ThirdPartyClientsTest.CLIENTS.toFile()).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (java.io.IOException ended) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        StreamsServer second = null;
        try {
            await(l -> l.equals("open 1"), "the stream opened");
            for (int n = 1; n <= 4; n++) {
                publish(n);
            }
            await(l -> l.equals("got 4"), "four readings");
            first.close();
            for (int n = 5; n <= 7; n++) {
                publish(n);
            }
            second = server(port);
            await(l -> l.equals("open 2"), "the browser reconnected");
            for (int n = 8; n <= 10; n++) {
                publish(n);
            }
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("finished; output " + output).isTrue();
            reader.join(5000);
            assertThat(output).as("output").anyMatch(l -> l.equals(
                    "eventsource: ok {\"seen\":[1,2,3,4,5,6,7,8,9,10],\"opens\":2}"));
            assertThat(output).noneMatch(l -> l.startsWith("gap"));
        } finally {
            node.destroyForcibly();
            first.close();
            if (second != null) {
                second.close();
            }
            broker.close();
        }
    }
}
