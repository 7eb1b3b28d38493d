package dev.streams.client;

import dev.streams.client.internal.Connection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A Java client for a Streams server's native protocol ({@code ws[s]://host:port/v1/ws/native}). It
 * reconnects on its own with exponential backoff and jitter; after a reconnect every subscription resumes
 * from the last event it saw on each topic, so nothing that the server's history still holds is missed, and
 * {@link EventHandler#onGap} says when something was. Thread-safe.
 *
 * <pre>{@code
 * StreamsClient client = StreamsClient.builder(URI.create("ws://localhost:8080/v1/ws/native"))
 *         .credential(() -> apiKey).build();
 * client.connect();
 * client.subscribe("devices.*.stream", event -> System.out.println(event.body()));
 * client.publish("events", "hello").join();
 * }</pre>
 */
public final class StreamsClient implements AutoCloseable {
    private final Connection connection;

    private StreamsClient(Builder b) {
        this.connection = new Connection(b.uris, b.credential, b.initialBackoff, b.maxBackoff, b.stateListener);
    }

    /** Starts a client of the server at {@code uri} ({@code ws[s]://host:port/v1/ws/native}). */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** Starts connecting (and reconnecting) in the background. */
    public StreamsClient connect() {
        connection.start();
        return this;
    }

    /** Waits until connected; false on timeout. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return connection.awaitConnected(timeout);
    }

    /** Where the connection stands now. */
    public ConnectionState state() {
        return connection.state();
    }

    /** Subscribes to a topic or pattern from now on; works before connecting and across reconnects. */
    public ClientSubscription subscribe(String pattern, EventHandler handler) {
        return connection.subscribe(pattern, handler);
    }

    /**
     * Publishes text; completes with the stored event's cursor, or exceptionally with a
     * {@link StreamsClientException}: the server's error, {@code ErrorCode.NOT_CONNECTED} (not sent) or
     * {@code ErrorCode.CONNECTION_LOST} (sent, not acknowledged).
     */
    public CompletableFuture<String> publish(String topic, String text) {
        return connection.publish(topic, text, false, null);
    }

    /**
     * Publishes text safely to retry: after {@code CONNECTION_LOST}, publish again with the same key; within the
     * server's window (default ten minutes) the server stores it once and answers with the first cursor.
     */
    public CompletableFuture<String> publish(String topic, String text, String idempotencyKey) {
        return connection.publish(topic, text, false, java.util.Objects.requireNonNull(idempotencyKey, "idempotencyKey"));
    }

    /** Publishes a JSON document (given as JSON text). */
    public CompletableFuture<String> publishJson(String topic, String json) {
        return connection.publish(topic, json, true, null);
    }

    /** Publishes a JSON document safely to retry, as {@link #publish(String, String, String)}. */
    public CompletableFuture<String> publishJson(String topic, String json, String idempotencyKey) {
        return connection.publish(topic, json, true, java.util.Objects.requireNonNull(idempotencyKey, "idempotencyKey"));
    }

    @Override
    public void close() {
        connection.close();
    }

    /** Builds a {@link StreamsClient}; a credential supplier is required. */
    public static final class Builder {
        private final List<URI> uris = new ArrayList<>();
        private Supplier<String> credential;
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Consumer<ConnectionState> stateListener = state -> { };

        private Builder(URI uri) {
            this.uris.add(Objects.requireNonNull(uri, "uri"));
        }

        /**
         * More addresses of the same service (the other nodes of a cluster): each reconnect goes to the next
         * address in turn, and the subscriptions resume there from their cursors.
         */
        public Builder alternates(URI... others) {
            for (URI other : others) {
                uris.add(Objects.requireNonNull(other, "uri"));
            }
            return this;
        }

        /**
         * Where the credential (API key or token) comes from. Called on every connect and when the server
         * warns that the current one expires, so it can fetch a fresh short-lived token; it may block. A credential
         * the server refused (closed with 4401: unknown, expired or revoked) is not presented again: the client
         * keeps asking, with backoff, until the supplier gives another.
         */
        public Builder credential(Supplier<String> credential) {
            this.credential = Objects.requireNonNull(credential, "credential");
            return this;
        }

        /** First and longest wait between reconnect attempts (default 250 ms and 30 s). */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            this.initialBackoff = Objects.requireNonNull(initial, "initial");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /** Told of every state change, on the client's threads. */
        public Builder onStateChange(Consumer<ConnectionState> listener) {
            this.stateListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Builds the client; it connects on {@link StreamsClient#connect()}. */
        public StreamsClient build() {
            if (credential == null) {
                throw new IllegalArgumentException("a credential supplier is required");
            }
            return new StreamsClient(this);
        }
    }
}
