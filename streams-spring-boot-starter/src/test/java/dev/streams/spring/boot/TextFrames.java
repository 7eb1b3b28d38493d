package dev.streams.spring.boot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client (the JDK's) that queues each text message and remembers how the server closed. */
final class TextFrames implements WebSocket.Listener, AutoCloseable {
    final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    TextFrames(HttpClient http, String url) throws Exception {
        socket = http.newWebSocketBuilder().buildAsync(URI.create(url), this).get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closedWith.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closedWith.completeExceptionally(error);
    }

    String next() throws InterruptedException {
        String frame = received.poll(15, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 15 s");
        }
        return frame;
    }

    @Override
    public void close() {
        socket.abort();
    }
}
