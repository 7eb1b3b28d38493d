package dev.streams.transport.ws.internal.nativeproto;

import dev.streams.transport.ws.internal.SubscriptionSink;
import java.util.Arrays;
import java.util.function.BiPredicate;

/**
 * A native connection's subscriptions by name, in the order they were made. Most connections hold one or two,
 * so they sit in one small array of name and sink pairs (24 bytes for one) rather than a linked hash map with
 * its table and entries (about 130 bytes), kept by every idle connection. Lookups scan: a connection holds at
 * most its configured number of subscriptions. Event loop only.
 */
final class NativeSubscriptions {
    /** Name, sink, name, sink, ...; null until the first subscription. */
    private Object[] pairs;
    private int size;

    int size() {
        return size;
    }

    void put(String name, SubscriptionSink sink) {
        if (pairs == null) {
            pairs = new Object[2];
        } else if (2 * size == pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[2 * size] = name;
        pairs[2 * size + 1] = sink;
        size++;
    }

    /** Removes and returns the subscription named {@code name}, or null when there is none. */
    SubscriptionSink remove(String name) {
        for (int i = 0; i < size; i++) {
            if (pairs[2 * i].equals(name)) {
                SubscriptionSink sink = (SubscriptionSink) pairs[2 * i + 1];
                removeAt(i);
                return sink;
            }
        }
        return null;
    }

    /** Removes every subscription {@code ending} says yes to, keeping the order of the rest. */
    void removeIf(BiPredicate<String, SubscriptionSink> ending) {
        for (int i = 0; i < size; ) {
            if (ending.test((String) pairs[2 * i], (SubscriptionSink) pairs[2 * i + 1])) {
                removeAt(i);
            } else {
                i++;
            }
        }
    }

    private void removeAt(int index) {
        System.arraycopy(pairs, 2 * index + 2, pairs, 2 * index, 2 * (size - index - 1));
        size--;
        pairs[2 * size] = null;
        pairs[2 * size + 1] = null;
    }
}
