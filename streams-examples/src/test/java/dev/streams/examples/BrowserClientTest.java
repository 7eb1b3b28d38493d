package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TypeScript browser client ({@code streams-js}), compiled by the TypeScript compiler and run in headless
 * Chromium against the demo server on its durable store, which is restarted in the middle of the stream:
 * the client reconnects, resumes from its cursor, and sees every event once, in order.
 */
class BrowserClientTest {
    private static final Path CLIENTS = ThirdPartyClientsTest.CLIENTS;
    private static final Path SOURCES = Path.of("..", "streams-js").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void resumesEveryTopicFromItsCursorAcrossAServerRestart() throws Exception {
        Path compiled = compileClient();
        assertThat(compiled.resolve("index.d.ts")).exists();
        // The demo dashboard serves the compiled client from its own folder: it must be this build of it.
        assertThat(Files.readString(Path.of("src", "main", "resources", "dashboard", "streams-client.js")))
                .as("dashboard/streams-client.js is streams-js compiled (tsc -p streams-js, then copy dist/index.js)")
                .isEqualTo(Files.readString(compiled.resolve("index.js")));

        DemoOptions options = new DemoOptions("127.0.0.1", 0, "demo", null, 0, 1, dir.resolve("data"));
        DemoServer demo = DemoServer.start(options);
        int port = demo.port();
        Process node = new ProcessBuilder("node", "browser-client.js", "http://127.0.0.1:" + port, demo.apiKey(),
                compiled.resolve("index.js").toString()).directory(CLIENTS.toFile()).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
             Writer toNode = new java.io.OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                if (line.equals("restart")) {
                    demo.close();
                    demo = DemoServer.start(new DemoOptions("127.0.0.1", port, "demo", null, 0, 1, dir.resolve("data")));
                    toNode.write("restarted\n");
                    toNode.flush();
                }
            }
            assertThat(node.waitFor(90, TimeUnit.SECONDS)).as("finished; output:\n" + output).isTrue();
        } finally {
            node.destroyForcibly();
            demo.close();
        }
        assertThat(node.exitValue()).as("exit code; output:\n" + output).isZero();
        assertThat(output.toString()).contains("browser client: ok");
    }

    /**
     * A token lives 35 s, and the server warns 30 s before it ends: the client must send a fresh one on the open
     * connection, which then outlives the first token without a reconnect.
     */
    @Test
    void refreshesItsTokenBeforeItExpiresOnTheSameConnection() throws Exception {
        Path compiled = compileClient();
        dev.streams.auth.StreamsAuth auth = dev.streams.auth.StreamsAuth.builder().masterKey(new byte[32]).build();
        String key = auth.createKey("demo", "browser", java.util.EnumSet.allOf(dev.streams.auth.Scope.class)).key();
        try (dev.streams.core.Broker broker = dev.streams.core.Broker.create();
             dev.streams.transport.ws.StreamsServer server = dev.streams.transport.ws.StreamsServer.builder(broker, auth)
                     .port(0).tokenTtl(java.time.Duration.ofSeconds(35)).build().start()) {
            run(List.of("node", "browser-client.js", "http://127.0.0.1:" + server.port(), key,
                    compiled.resolve("index.js").toString(), "refresh", "40"));
        }
    }

    /** streams-js compiled by the TypeScript compiler into a folder of its own; the tools must be there. */
    private Path compileClient() throws Exception {
        ThirdPartyClientsTest.require(ThirdPartyClientsTest.nodeModules("playwright-core")
                && ThirdPartyClientsTest.nodeModules("typescript") && new File("/usr/bin/chromium").exists(),
                "Debian package chromium and npm packages playwright-core and typescript");
        Path compiled = dir.resolve("js");
        run(List.of("node", "node_modules/typescript/bin/tsc", "-p", SOURCES.toString(), "--outDir", compiled.toString()));
        return compiled;
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(CLIENTS.toFile()).redirectErrorStream(true).start();
        boolean done = process.waitFor(90, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("finished in time; output:\n" + output).isTrue();
        assertThat(process.exitValue()).as("exit code; output:\n" + output).isZero();
    }
}
