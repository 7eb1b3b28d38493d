package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.core.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A bounded fuzz run against a real server (a few seconds, fixed seeds so a failure replays): random and
 * mutated HTTP requests, WebSocket frames of every opcode with bad lengths, masks, fragments and UTF-8, and
 * dialect JSON of the wrong shape. Every case must end in an answer (an HTTP status, a close frame, or the
 * server closing the socket) and never hang; after each batch the server is healthy, holds no extra
 * connections or file descriptors, and its heap after GC has not grown.
 */
class FuzzTest extends ServerFixture {
    private static final int THREADS = 32;

    @Test
    void hostileInputIsAnsweredAndLeavesNothingBehind() throws Exception {
        start(b -> b.requestTimeout(Duration.ofMillis(500)).maxBodyBytes(4096).maxFrameBytes(4096)
                .maxMessageBytes(8192).idleTimeout(Duration.ofSeconds(1)));
        batch("warm-up", 20, this::httpCase);
        long fds = openFileDescriptors();
        long heap = heapAfterGc();
        batch("http", 250, this::httpCase);
        batch("frames", 250, this::frameCase);
        batch("json", 250, this::jsonCase);
        assertThat(openFileDescriptors() - fds).as("file descriptors").isLessThanOrEqualTo(4);
        assertThat(heapAfterGc() - heap).as("heap after GC").isLessThan(24L * 1024 * 1024);
    }

    /** Runs {@code cases} cases on a pool, then checks the server is healthy and back to its idle state. */
    private void batch(String name, int cases, IntFunction<String> runCase) throws Exception {
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            int seed = i;
            outcomes.add(pool.submit(() -> runCase.apply(seed)));
        }
        for (Future<String> outcome : outcomes) {
            assertThat(outcome.get(30, TimeUnit.SECONDS)).as(name).isNotEqualTo("hung");
        }
        pool.shutdown();
        assertThat(get("/healthz").statusCode()).as(name + ": healthz").isEqualTo(200);
        Await.until(() -> server.openConnections() <= 1, () -> name + ": connections left open: " + server.openConnections());
        System.out.printf("fuzz batch %s: %d cases in %d ms%n", name, cases,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static final String[] HTTP = {
        "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /v1/streams/Publish HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer KEY\r\nContent-Length: 35\r\n\r\n"
                + "{\"topic\":\"events\",\"message\":\"hi\"}",
        "POST /v1/projects/alpha/devices/d1/ingest HTTP/1.1\r\nHost: x\r\nx-api-key: KEY\r\nContent-Length: 11\r\n\r\n"
                + "{\"temp\":21}",
        "GET /v1/ws/native?x-api-key=KEY HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        "POST /v1/streams/Token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer KEY\r\n\r\n"
                + "4\r\n{\"to\r\n0\r\n\r\n",
    };

    private String httpCase(int seed) {
        Random random = new Random(seed);
        byte[] request = HTTP[random.nextInt(HTTP.length)].replace("KEY", alphaKey.key()).getBytes(StandardCharsets.ISO_8859_1);
        byte[] mutated = random.nextInt(10) == 0 ? randomBytes(random, random.nextInt(2000)) : mutate(random, request);
        return exchange(mutated, false);
    }

    private String frameCase(int seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = 1 + random.nextInt(4);
        for (int i = 0; i < frames; i++) {
            int opcode = random.nextInt(16);
            boolean fin = random.nextInt(4) != 0;
            byte[] payload = switch (random.nextInt(4)) {
                case 0 -> randomBytes(random, random.nextInt(200));
                case 1 -> "{\"type\":\"subscribe\",\"topic\":\"a\"}".getBytes(StandardCharsets.UTF_8);
                case 2 -> new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF};
                default -> new byte[random.nextInt(3) == 0 ? 10_000 : 130];
            };
            byte[] frame = RawSocket.frame(opcode, fin, payload);
            if (random.nextInt(5) == 0) {
                frame[1] &= 0x7F; // unmasked: forbidden for clients
            }
            if (random.nextInt(6) == 0) {
                frame[1] = (byte) (0x80 | 127); // a length that does not match what follows
            }
            out.writeBytes(frame);
        }
        out.writeBytes(RawSocket.frame(0x8, true, new byte[] {0x03, (byte) 0xE8}));
        return exchange(out.toByteArray(), true);
    }

    private static final String[] JSON = {
        "{\"type\":\"subscribe\",\"topic\":%s}", "{\"type\":%s}", "{\"type\":\"publish\",\"topic\":\"a\",\"data\":%s}",
        "{\"type\":\"subscribe\",\"topic\":\"a\",\"last\":%s}", "{\"type\":\"subscribe\",\"topic\":\"a\",\"resume\":%s}",
        "{\"type\":\"auth\",\"token\":%s}", "{\"type\":\"unsubscribe\",\"sub\":%s}", "%s",
    };

    private String jsonCase(int seed) {
        Random random = new Random(seed);
        String value = switch (random.nextInt(8)) {
            case 0 -> "[".repeat(500) + "]".repeat(500);
            case 1 -> "1" + "0".repeat(400);
            case 2 -> "-1e999999";
            case 3 -> "{\"x\":" + "{\"y\":".repeat(80) + "1" + "}".repeat(81);
            case 4 -> "\"" + "\\u0000".repeat(50) + "\"";
            case 5 -> "null";
            case 6 -> "{\"a\":\"" + "x".repeat(random.nextInt(9000)) + "\"}";
            default -> new String(randomBytes(random, 40), StandardCharsets.ISO_8859_1).replace('"', 'q');
        };
        String text = String.format(JSON[random.nextInt(JSON.length)], value);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(RawSocket.frame(0x1, true, text.getBytes(StandardCharsets.UTF_8)));
        out.writeBytes(RawSocket.frame(0x8, true, new byte[] {0x03, (byte) 0xE8}));
        return exchange(out.toByteArray(), true);
    }

    /**
     * Sends the bytes (for a WebSocket case, after a completed handshake, as a client must) and reads until
     * the server ends the exchange; returns "answered" or "hung". A WebSocket case still open after a second
     * is closed by us: it ended with our close frame, which the server answered or will on its idle timeout.
     */
    private String exchange(byte[] bytes, boolean webSocket) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(webSocket ? 1000 : 5000);
            if (webSocket) {
                socket.getOutputStream().write(HTTP[3].replace("KEY", alphaKey.key()).getBytes(StandardCharsets.ISO_8859_1));
                if (!RawSocket.readHead(socket.getInputStream()).startsWith("HTTP/1.1 101")) {
                    return "hung";
                }
            }
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (IOException closedWhileWriting) {
                return "answered";
            }
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[8192];
            try {
                while (in.read(sink) >= 0) {
                    // read until the server closes
                }
            } catch (SocketTimeoutException stillOpen) {
                return webSocket ? "answered" : "hung";
            } catch (IOException reset) {
                return "answered";
            }
            return "answered";
        } catch (IOException e) {
            return "answered";
        }
    }

    private static byte[] mutate(Random random, byte[] request) {
        byte[] copy = request.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(copy.length);
            switch (random.nextInt(4)) {
                case 0 -> copy[at] = (byte) random.nextInt(256);
                case 1 -> copy = java.util.Arrays.copyOf(copy, Math.max(1, at));
                case 2 -> {
                    byte[] longer = new byte[copy.length + 1 + random.nextInt(300)];
                    System.arraycopy(copy, 0, longer, 0, at);
                    java.util.Arrays.fill(longer, at, longer.length - (copy.length - at), (byte) 'A');
                    System.arraycopy(copy, at, longer, longer.length - (copy.length - at), copy.length - at);
                    copy = longer;
                }
                default -> copy[at] = (byte) "\r\n: \0%".charAt(random.nextInt(6));
            }
        }
        return copy;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
