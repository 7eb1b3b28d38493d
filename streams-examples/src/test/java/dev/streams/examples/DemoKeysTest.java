package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's keys as a user meets them: one key per data directory across restarts, the {@code keys} command
 * (also while the demo runs: a revoked key's stream ends), a busy port in one line, and the welcome text.
 */
class DemoKeysTest {
    private static String welcomeOf(DemoServer demo) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        demo.printWelcome(new PrintStream(printed, true, StandardCharsets.UTF_8));
        return printed.toString(StandardCharsets.UTF_8);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run keys(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DemoKeys.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDataDirectoryKeepsOneDemoKeyAcrossRestarts(@TempDir Path dataDir) {
        String first;
        try (DemoServer demo = DemoServer.start(DemoOptions.parse("--port", "0", "--devices", "0",
                "--data-dir", dataDir.toString()))) {
            first = demo.apiKey();
            assertThat(welcomeOf(demo)).contains(first + "   (new, id " + first.substring(4, 20))
                    .contains("none simulated (--devices N adds some)").contains("keys list|create|revoke");
        }
        try (DemoServer demo = DemoServer.start(DemoOptions.parse("--port", "0", "--devices", "2", "--rate", "1",
                "--data-dir", dataDir.toString()))) {
            assertThat(demo.apiKey()).isEqualTo(first);
            assertThat(welcomeOf(demo)).contains("the data directory's demo key, id " + first.substring(4, 20))
                    .contains("2 simulated, 1 reading/s each").doesNotContain("pass --api-key");
        }
        Run list = keys("list", "--data-dir", dataDir.toString());
        assertThat(list.code()).isZero();
        assertThat(list.out().lines().filter(line -> line.contains("demo"))).hasSize(1);
    }

    @Test
    void theKeysCommandCreatesListsAndRevokesWhileTheDemoRuns(@TempDir Path dataDir) throws Exception {
        try (DemoServer demo = DemoServer.start(DemoOptions.parse("--port", "0", "--devices", "0",
                "--data-dir", dataDir.toString()))) {
            Run created = keys("create", "reader", "--scopes", "subscribe", "--data-dir", dataDir.toString());
            assertThat(created.code()).as(created.err()).isZero();
            String reader = created.out().strip();
            assertThat(reader).startsWith("stk_");
            assertThat(keys("list", "--data-dir", dataDir.toString()).out()).contains("reader").contains("[subscribe]");

            // A stream opened with the new key (the demo re-reads the key file) ends when the key is revoked.
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + demo.port()
                    + "/v1/ws/projects/demo/stream?x-api-key=" + reader), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            closed.complete(statusCode);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            Run revoked = keys("revoke", reader.substring(4, 20), "--data-dir", dataDir.toString());
            assertThat(revoked.out()).contains("revoked " + reader.substring(4, 20));
            assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo(4401);
        }
        Run again = keys("revoke", "0123456789abcdef", "--data-dir", dataDir.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("no working key 0123456789abcdef");
        Run nowhere = keys("list", "--data-dir", dataDir.resolve("absent").toString());
        assertThat(nowhere.err()).contains("no data directory");
        assertThat(Files.exists(dataDir.resolve("absent"))).isFalse();
    }

    @Test
    void aBusyPortIsOneLine(@TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process busy = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    DemoServer.class.getName(), "--port", String.valueOf(taken.getLocalPort()), "--devices", "0",
                    "--data-dir", dataDir.toString()).start();
            String error = new String(busy.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(busy.waitFor()).isEqualTo(2);
            assertThat(error).isEqualTo("cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": Address already in use");
        }
    }
}
