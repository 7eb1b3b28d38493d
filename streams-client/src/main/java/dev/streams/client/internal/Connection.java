package dev.streams.client.internal;

import dev.streams.protocol.ErrorCode;
import dev.streams.protocol.NativeProtocol;
import dev.streams.protocol.TopicNames;
import dev.streams.protocol.TopicRule;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.streams.client.ClientEvent;
import dev.streams.client.ClientSubscription;
import dev.streams.client.ConnectionState;
import dev.streams.client.EventHandler;
import dev.streams.client.StreamsClientException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The client's connection lifecycle: connect, resubscribe with resume points, route frames, reconnect with
 * backoff. State is guarded by {@code lock}; handlers are called on the socket's thread, outside the lock.
 */
public final class Connection {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    /** The close code of an unauthenticated, expired or revoked credential (4000 + HTTP 401). */
    private static final int UNAUTHENTICATED_CLOSE = ErrorCode.UNAUTHENTICATED.closeCode();

    private final Addresses addresses;
    private final Supplier<String> credential;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Consumer<ConnectionState> stateListener;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "streams-client");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private final Map<Long, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<String, Subscription> subscribing = new HashMap<>();
    private final Map<String, CompletableFuture<String>> publishing = new HashMap<>();
    private Socket socket;
    private ConnectionState state = ConnectionState.CLOSED;
    private boolean started;
    private boolean closed;
    private int attempt;
    private long nextId = 1;
    /** The credential the current socket presented (or the last refresh sent on it). */
    private String presented;
    /** A credential the server refused (closed with 4401): not presented again until the supplier changes it. */
    private String refused;

    public Connection(List<URI> uris, Supplier<String> credential, Duration initialBackoff, Duration maxBackoff,
                      Consumer<ConnectionState> stateListener) {
        this.addresses = new Addresses(uris);
        this.credential = credential;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.stateListener = stateListener;
    }

    public void start() {
        synchronized (lock) {
            if (started || closed) {
                return;
            }
            started = true;
        }
        setState(ConnectionState.CONNECTING);
        scheduler.execute(this::open);
    }

    private void open() {
        String token;
        try {
            token = credential.get();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "credential supplier failed; retrying", e);
            reconnectLater();
            return;
        }
        boolean refusedAgain;
        synchronized (lock) {
            refusedAgain = token != null && token.equals(refused);
            if (!refusedAgain) {
                refused = null;
            }
        }
        if (refusedAgain) {
            // The server said no to this one: presenting it again would only be refused again.
            LOG.log(Level.DEBUG, "the credential supplier still gives the refused credential; asking again later");
            reconnectLater();
            return;
        }
        Socket fresh = new Socket(addresses.next(), Map.of("Authorization", "Bearer " + token), this);
        synchronized (lock) {
            if (closed) {
                return;
            }
            socket = fresh;
            presented = token;
        }
        fresh.connect();
    }

    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (state != ConnectionState.CONNECTED) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    public ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    public ClientSubscription subscribe(String pattern, EventHandler handler) {
        TopicRule broken = TopicNames.violation(pattern, true, TopicNames.DEFAULT_MAX_LENGTH);
        if (broken != null) {
            throw new IllegalArgumentException("invalid pattern '" + pattern + "': " + broken.description());
        }
        Subscription sub;
        synchronized (lock) {
            sub = new Subscription(nextId++, pattern, handler, this);
            subscriptions.put(sub.id, sub);
            if (state == ConnectionState.CONNECTED) {
                sendSubscribe(sub);
            }
        }
        return sub;
    }

    void cancel(Subscription sub) {
        synchronized (lock) {
            subscriptions.remove(sub.id);
            if (sub.serverName != null && state == ConnectionState.CONNECTED) {
                socket.send("{\"type\":\"unsubscribe\",\"sub\":\"" + sub.serverName + "\"}");
            }
        }
    }

    public CompletableFuture<String> publish(String topic, String body, boolean json, String idempotencyKey) {
        JsonObject request = new JsonObject();
        request.addProperty(NativeProtocol.TYPE, NativeProtocol.PUBLISH);
        request.addProperty(NativeProtocol.TOPIC, topic);
        if (idempotencyKey != null) {
            request.addProperty(NativeProtocol.KEY, idempotencyKey);
        }
        if (json) {
            request.add(NativeProtocol.DATA, JsonParser.parseString(body));
        } else {
            request.addProperty(NativeProtocol.TEXT, body);
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        synchronized (lock) {
            if (state != ConnectionState.CONNECTED) {
                return CompletableFuture.failedFuture(new StreamsClientException(ErrorCode.NOT_CONNECTED,
                        "not connected; publish again once connected"));
            }
            String id = "p" + nextId++;
            request.addProperty(NativeProtocol.ID, id);
            publishing.put(id, result);
            socket.send(request.toString());
        }
        return result;
    }

    public void close() {
        Socket last;
        synchronized (lock) {
            closed = true;
            last = socket;
            socket = null;
        }
        scheduler.shutdownNow();
        if (last != null) {
            last.close();
        }
        failPublishes("client closed");
        setState(ConnectionState.CLOSED);
    }

    /** Called with the lock held. */
    private void sendSubscribe(Subscription sub) {
        String id = "s" + nextId++;
        subscribing.put(id, sub);
        socket.send(sub.request(id).toString());
    }

    private void onWelcome() {
        synchronized (lock) {
            attempt = 0;
            state = ConnectionState.CONNECTED;
            lock.notifyAll();
            for (Subscription sub : subscriptions.values()) {
                sendSubscribe(sub);
            }
        }
        stateListener.accept(ConnectionState.CONNECTED);
    }

    /** One frame from {@code from}'s server (the socket's thread). */
    void onFrame(String text) {
        JsonObject frame = JsonParser.parseString(text).getAsJsonObject();
        String type = frame.get(NativeProtocol.TYPE).getAsString();
        switch (type) {
            case NativeProtocol.WELCOME -> onWelcome();
            case NativeProtocol.EVENT -> onEvent(frame);
            case NativeProtocol.GAP -> onGap(frame);
            case NativeProtocol.ACK -> onAck(frame);
            case NativeProtocol.ERROR -> onError(frame);
            case NativeProtocol.EXPIRING -> scheduler.execute(this::refreshCredential);
            default -> LOG.log(Level.DEBUG, "ignoring frame of type " + type);
        }
    }

    private void onEvent(JsonObject frame) {
        ClientEvent event = EventFrame.parse(frame);
        for (Subscription sub : matching(event.topic())) {
            boolean fresh;
            synchronized (lock) {
                fresh = !sub.cancelled && sub.accept(event);
            }
            if (fresh) {
                sub.handler.onEvent(event);
            }
        }
    }

    private void onGap(JsonObject frame) {
        String topic = frame.get(NativeProtocol.TOPIC).getAsString();
        for (Subscription sub : matching(topic)) {
            sub.handler.onGap(topic, frame.get(NativeProtocol.MISSED).getAsLong(), frame.get(NativeProtocol.CAUSE).getAsString());
        }
    }

    private List<Subscription> matching(String topic) {
        List<Subscription> out = new ArrayList<>();
        synchronized (lock) {
            for (Subscription sub : subscriptions.values()) {
                if (TopicNames.matches(sub.pattern, topic)) {
                    out.add(sub);
                }
            }
        }
        return out;
    }

    private void onAck(JsonObject frame) {
        String id = frame.has(NativeProtocol.ID) ? frame.get(NativeProtocol.ID).getAsString() : "";
        CompletableFuture<String> publish;
        Subscription live;
        synchronized (lock) {
            Subscription sub = subscribing.remove(id);
            if (sub != null) {
                sub.serverName = frame.get(NativeProtocol.SUB).getAsString();
                if (frame.has(NativeProtocol.TIME)) {
                    sub.live(Instant.parse(frame.get(NativeProtocol.TIME).getAsString()));
                }
                if (sub.cancelled) {
                    socket.send("{\"type\":\"unsubscribe\",\"sub\":\"" + sub.serverName + "\"}");
                }
            }
            live = sub == null || sub.cancelled ? null : sub;
            publish = sub == null ? publishing.remove(id) : null;
        }
        if (live != null) {
            live.handler.onLive(); // outside the lock, as every handler call
            return;
        }
        if (publish != null) {
            publish.complete(frame.get(NativeProtocol.CURSOR).getAsString());
        }
    }

    private void onError(JsonObject frame) {
        String id = frame.has(NativeProtocol.ID) ? frame.get(NativeProtocol.ID).getAsString() : "";
        String name = frame.get(NativeProtocol.CODE).getAsString();
        ErrorCode code = ErrorCode.of(name);
        String message = frame.get(NativeProtocol.MESSAGE).getAsString();
        if (code == ErrorCode.UNKNOWN) {
            message = name + ": " + message;
        }
        Subscription sub;
        CompletableFuture<String> publish;
        synchronized (lock) {
            sub = subscribing.remove(id);
            publish = publishing.remove(id);
            if (sub != null) {
                subscriptions.remove(sub.id);
            }
        }
        if (sub != null) {
            sub.handler.onRefused(code, message);
        } else if (publish != null) {
            publish.completeExceptionally(new StreamsClientException(code, message));
        } else {
            LOG.log(Level.WARNING, "server error " + code + ": " + message);
        }
    }

    private void refreshCredential() {
        try {
            String token = credential.get();
            JsonObject request = new JsonObject();
            request.addProperty(NativeProtocol.TYPE, NativeProtocol.AUTH);
            request.addProperty(NativeProtocol.TOKEN, token);
            synchronized (lock) {
                if (state == ConnectionState.CONNECTED) {
                    socket.send(request.toString());
                    presented = token;
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "credential refresh failed; the server will close at expiry and we reconnect", e);
        }
    }

    /** {@code from} closed, whoever closed it (the socket's thread). */
    void onDisconnect(Socket from, int code, String reason) {
        synchronized (lock) {
            if (from != socket || closed) {
                return;
            }
            socket = null;
            if (code == UNAUTHENTICATED_CLOSE) {
                refused = presented;
            }
            subscribing.clear();
            for (Subscription sub : subscriptions.values()) {
                sub.serverName = null;
            }
        }
        LOG.log(Level.DEBUG, "disconnected (" + code + " " + reason + "); reconnecting");
        failPublishes("connection lost");
        reconnectLater();
    }

    private void reconnectLater() {
        long delay;
        synchronized (lock) {
            if (closed) {
                return;
            }
            delay = Addresses.backoffMillis(initialBackoff, maxBackoff, attempt++);
            state = ConnectionState.RECONNECTING;
        }
        stateListener.accept(ConnectionState.RECONNECTING);
        try {
            scheduler.schedule(this::open, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            // close() won the race; nothing to do
        }
    }

    private void failPublishes(String why) {
        List<CompletableFuture<String>> failed;
        synchronized (lock) {
            failed = new ArrayList<>(publishing.values());
            publishing.clear();
        }
        failed.forEach(f -> f.completeExceptionally(new StreamsClientException(ErrorCode.CONNECTION_LOST,
                why + "; whether the server stored the event is unknown")));
    }

    private void setState(ConnectionState next) {
        synchronized (lock) {
            state = next;
            lock.notifyAll();
        }
        stateListener.accept(next);
    }
}
