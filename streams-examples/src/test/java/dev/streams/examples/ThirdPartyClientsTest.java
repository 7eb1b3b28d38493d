package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.core.Await;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that no one here wrote, against the running demo server: the m3o Node client, Python's websockets
 * library, and the dashboard in headless Chromium. CI installs them (.ci/run); elsewhere a missing tool skips
 * its test with a note on how to install it, but under CI a missing tool fails.
 */
class ThirdPartyClientsTest {
    static final Path CLIENTS = Path.of("src", "test", "clients").toAbsolutePath();
    private static DemoServer demo;

    @BeforeAll
    static void startDemo() throws java.io.IOException {
        demo = DemoServer.start(new DemoOptions("127.0.0.1", 0, "demo", null, 2, 5, java.nio.file.Files.createTempDirectory("streams-demo")));
    }

    @AfterAll
    static void stopDemo() {
        demo.close();
    }

    static void require(boolean present, String what) {
        if (!present && System.getenv("CI") != null) {
            throw new AssertionError(what + " is missing; .ci/run should have installed it");
        }
        Assumptions.assumeTrue(present, what + " is not installed; see .ci/run for how to install it");
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(CLIENTS.toFile()).redirectErrorStream(true).start();
        boolean done = process.waitFor(90, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            process.destroyForcibly();
        }
        assertThat(done).as("finished in time; output:\n" + output).isTrue();
        assertThat(process.exitValue()).as("exit code; output:\n" + output).isZero();
        return output;
    }

    static boolean nodeModules(String name) {
        return Files.isDirectory(CLIENTS.resolve("node_modules").resolve(name)) && new File("/usr/bin/node").exists()
                || Files.isDirectory(CLIENTS.resolve("node_modules").resolve(name)) && onPath("node");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void m3oNodeClientTokenSubscribeAndPublish() throws Exception {
        require(nodeModules("@m3o"), "npm package @m3o/m3o-node (npm ci in " + CLIENTS + ")");
        String output = run(List.of("node", "m3o-node.js", "http://127.0.0.1:" + demo.port() + "/", demo.apiKey()));
        assertThat(output).contains("m3o-node: ok");
    }

    @Test
    void pythonWebsocketsReadsTheGoliothStreams() throws Exception {
        boolean present = new ProcessBuilder("/usr/bin/python3", "-c", "import websockets").start().waitFor() == 0;
        require(present, "Debian package python3-websockets");
        String output = run(List.of("/usr/bin/python3", "golioth_stream.py", "http://127.0.0.1:" + demo.port(), "demo",
                demo.apiKey(), "0123456789abcdef01234567"));
        assertThat(output).contains("project stream ok", "device stream ok", "compressed stream ok",
                "python-websockets: ok");
    }

    private static long storedOf(java.net.http.HttpClient http) throws Exception {
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + demo.port() + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("streams_history_stored_total "))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
    }

    @Test
    void chromiumNegotiatesCompressionAndReadsALargeMessageIntact() throws Exception {
        require(nodeModules("playwright-core") && new File("/usr/bin/chromium").exists(),
                "Debian package chromium and npm package playwright-core");
        String output = run(List.of("node", "deflate.js", "http://127.0.0.1:" + demo.port(), demo.apiKey()));
        assertThat(output).contains("chromium deflate: ok");
    }

    @Test
    void chromiumShowsTheConsoleWithChartsTopicsAndServerHealth() throws Exception {
        require(nodeModules("playwright-core") && new File("/usr/bin/chromium").exists(),
                "Debian package chromium and npm package playwright-core");
        // The console serves uPlot from its own folder: it must be the npm package's build, unchanged.
        for (String file : List.of("uPlot.iife.min.js", "uPlot.min.css")) {
            assertThat(Files.readString(Path.of("src", "main", "resources", "dashboard", "vendor", file)))
                    .as("dashboard/vendor/" + file + " is node_modules/uplot/dist/" + file + " (npm ci, then copy)")
                    .isEqualTo(Files.readString(CLIENTS.resolve("node_modules/uplot/dist/" + file)));
        }
        // Readings to pre-fill from: the demo's devices publish five a second each.
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        Await.until(() -> storedOf(http) >= 10, "readings stored");
        Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        String output = run(List.of("node", "dashboard.js", "http://127.0.0.1:" + demo.port() + "/", screenshot.toString()));
        assertThat(output).contains("chromium console: ok");
        // A page drawn, not a blank one: the whole page, and many colours (charts, legend, tiles).
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(screenshot.toFile());
        assertThat(image.getWidth()).isEqualTo(1440);
        assertThat(image.getHeight()).isGreaterThanOrEqualTo(900);
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours).as("distinct colours in the screenshot").hasSizeGreaterThan(200);
    }
}
