package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client (the JDK's) that queues each text message as JSON. */
final class Frames implements WebSocket.Listener, AutoCloseable {
    final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    final WebSocket socket;

    Frames(HttpClient http, String url) throws Exception {
        this.socket = http.newWebSocketBuilder().buildAsync(URI.create(url), this).get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(JsonParser.parseString(partial.toString()).getAsJsonObject());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    JsonObject next() throws InterruptedException {
        JsonObject frame = received.poll(15, TimeUnit.SECONDS);
        assertThat(frame).as("a frame within 15 s").isNotNull();
        return frame;
    }

    @Override
    public void close() {
        socket.abort();
    }
}
