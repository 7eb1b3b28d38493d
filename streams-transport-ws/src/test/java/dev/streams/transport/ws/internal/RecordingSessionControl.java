package dev.streams.transport.ws.internal;

import dev.streams.auth.AuthException;
import dev.streams.auth.AuthFailure;
import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import dev.streams.core.StartPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A session's shared half without a channel, for testing a dialect's codec alone: it records what the codec
 * sends, subscribes to and ends with; timers run when the test says so, completions at once.
 */
public final class RecordingSessionControl implements SessionControl {
    /** One subscribe the codec asked for. */
    public record Subscribe(Principal who, String project, String pattern, StartPosition start, FrameEncoding encoding) {
    }

    /** How the session ended. */
    public record End(String lastFrame, int code, String reason) {
    }

    public final List<String> sent = new ArrayList<>();
    public final List<String> gaps = new ArrayList<>();
    public final List<Subscribe> subscribes = new ArrayList<>();
    public final List<Runnable> timers = new ArrayList<>();
    public final List<Principal> watched = new ArrayList<>();
    public End end;
    public int published;
    private final boolean namesEvents;
    private final Function<Credentials, Principal> authenticate;

    /** @param namesEvents whether it stands for a Server-Sent Events stream; credentials sent in-band are refused */
    public RecordingSessionControl(boolean namesEvents) {
        this(namesEvents, credentials -> {
            throw new AuthException(AuthFailure.UNKNOWN_KEY, "no credential is valid here");
        });
    }

    /** @param authenticate what a credential the client sends in-band stands for */
    public RecordingSessionControl(boolean namesEvents, Function<Credentials, Principal> authenticate) {
        this.namesEvents = namesEvents;
        this.authenticate = authenticate;
    }

    /** Runs the timers scheduled so far, as if their time had come. */
    public void runTimers() {
        List<Runnable> due = List.copyOf(timers);
        timers.clear();
        due.forEach(Runnable::run);
    }

    @Override
    public boolean admit(String project) {
        return true;
    }

    @Override
    public void authorizeAndSubscribe(Principal who, String project, String pattern, StartPosition start,
                                      FrameEncoding encoding, Consumer<SubscriptionSink> ready,
                                      Consumer<RuntimeException> failed) {
        subscribes.add(new Subscribe(who, project, pattern, start, encoding));
    }

    @Override
    public Principal authenticate(Credentials credentials) {
        return authenticate.apply(credentials);
    }

    @Override
    public void unsubscribe(SubscriptionSink sink) {
    }

    @Override
    public List<SubscriptionSink> subscriptions() {
        return List.of();
    }

    @Override
    public boolean namesEvents() {
        return namesEvents;
    }

    @Override
    public StartPosition resumeFrom(String project, String pattern, StartPosition fresh, String lastEventId,
                                    String lostMessage) {
        return fresh;
    }

    @Override
    public void watchExpiry(Principal who, Duration warning) {
        watched.add(who);
    }

    @Override
    public void send(String text) {
        sent.add(text);
    }

    @Override
    public void sendGap(String json) {
        gaps.add(json);
    }

    @Override
    public void end(String lastFrame, int code, String reason) {
        if (end == null) {
            end = new End(lastFrame, code, reason);
        }
    }

    @Override
    public boolean isClosing() {
        return end != null;
    }

    @Override
    public void countPublished() {
        published++;
    }

    @Override
    public void paceAfterPublish(String project, String topic) {
        // Pacing needs a channel and a loaded fan-out; the native protocol's tests over sockets cover it.
    }

    @Override
    public <T> void whenDone(CompletableFuture<T> future, BiConsumer<T, Throwable> then) {
        future.whenComplete((value, error) -> then.accept(value,
                error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error));
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay) {
        timers.add(task);
        return CompletableFuture.completedFuture(null);
    }
}
