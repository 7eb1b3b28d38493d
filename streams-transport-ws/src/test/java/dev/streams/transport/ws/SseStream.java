package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Server-Sent Events client over the JDK's HTTP client: reads the stream on a background thread. */
final class SseStream implements AutoCloseable {
    /** One parsed event: its id, its name (null for data) and its data. */
    record Sse(String id, String name, String data) {
        JsonObject json() {
            return JsonParser.parseString(data).getAsJsonObject();
        }
    }

    final HttpResponse<java.io.InputStream> response;
    final LinkedBlockingQueue<Sse> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> ended = new CompletableFuture<>();

    SseStream(HttpClient http, String url, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(this::read);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Sse(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
        } catch (IOException closed) {
            // the test closed it
        }
        ended.complete(null);
    }

    Sse next() throws InterruptedException {
        Sse event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
