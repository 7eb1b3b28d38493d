package dev.streams.transport.ws.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * Continues on a channel's event loop once a publish completes: at once when it already has (a broker on its
 * own stores before returning), otherwise as a task on the loop (a clustered broker completes on its engine's
 * threads). Completions arrive in the order the engine accepted them, and tasks keep that order.
 */
public final class Completions {
    private Completions() {
    }

    /** Calls {@code then} on {@code loop} with the value, or with the failure's cause (never a CompletionException). */
    public static <T> void onLoop(CompletableFuture<T> future, EventExecutor loop, BiConsumer<T, Throwable> then) {
        if (future.isDone() && loop.inEventLoop()) {
            finish(future, then);
            return;
        }
        future.whenComplete((value, error) -> loop.execute(() -> then.accept(value, unwrap(error))));
    }

    private static <T> void finish(CompletableFuture<T> future, BiConsumer<T, Throwable> then) {
        T value;
        try {
            value = future.join();
        } catch (CompletionException e) {
            then.accept(null, unwrap(e));
            return;
        }
        then.accept(value, null);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
