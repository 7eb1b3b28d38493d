package dev.streams.core;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A way to encode events (one wire dialect, say) whose result is computed once per event and shared by
 * every subscriber: see {@link Event#encoded(Encoding)}. Create each encoding once, as a constant; at most
 * {@value #MAX_ENCODINGS} may exist in one JVM.
 *
 * @param <T> the encoded form; it must be immutable, since all subscribers share it
 */
public final class Encoding<T> {
    /** How many encodings can exist; each event keeps one slot per encoding. */
    public static final int MAX_ENCODINGS = 16;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String name;
    private final int id;
    private final Function<Event, T> encoder;

    private Encoding(String name, Function<Event, T> encoder) {
        this.name = Objects.requireNonNull(name, "name");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.id = IDS.getAndIncrement();
        if (id >= MAX_ENCODINGS) {
            throw new IllegalStateException("at most " + MAX_ENCODINGS + " encodings can exist");
        }
    }

    /** A new encoding; create each once, as a constant. */
    public static <T> Encoding<T> of(String name, Function<Event, T> encoder) {
        return new Encoding<>(name, encoder);
    }

    /** The encoding's name, for diagnostics. */
    public String name() {
        return name;
    }

    int id() {
        return id;
    }

    T encode(Event event) {
        return encoder.apply(event);
    }

    @Override
    public String toString() {
        return "Encoding[" + name + ']';
    }
}
