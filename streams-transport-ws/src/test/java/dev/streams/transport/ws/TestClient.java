package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** A real WebSocket client (Java-WebSocket) that records frames and how the connection closed. */
final class TestClient extends WebSocketClient {
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    final List<String> all = new CopyOnWriteArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);
    volatile int closeCode;
    volatile String closeReason;
    volatile int handshakeStatus;

    TestClient(URI uri, Map<String, String> headers) {
        super(uri, headers);
    }

    static TestClient connect(String url) {
        return connect(url, Map.of(), null);
    }

    static TestClient connect(String url, Map<String, String> headers, SSLContext tls) {
        TestClient client = new TestClient(URI.create(url), headers);
        if (tls != null) {
            client.setSocketFactory(tls.getSocketFactory());
        }
        try {
            client.connectBlocking(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return client;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        handshakeStatus = handshake.getHttpStatus();
    }

    @Override
    public void onMessage(String message) {
        all.add(message);
        frames.add(message);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeCode = code;
        closeReason = reason;
        closed.countDown();
    }

    @Override
    public void onError(Exception ex) {
    }

    String next() {
        try {
            String frame = frames.poll(10, TimeUnit.SECONDS);
            if (frame == null) {
                fail("no frame within 10 s; closed with " + closeCode + " " + closeReason);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonObject nextJson() {
        return JsonParser.parseString(next()).getAsJsonObject();
    }

    /** Asserts nothing more arrives for a short while. */
    void assertQuiet() throws InterruptedException {
        assertThat(frames.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    TestClient awaitClose() {
        try {
            if (!closed.await(10, TimeUnit.SECONDS)) {
                fail("not closed within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }
}
