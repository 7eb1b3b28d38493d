package dev.streams.core.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * What happened in one project, counted where it happens: publishes by the project's topics, deliveries, drops
 * and slow-consumer disconnects by its subscriptions, evictions by its sweep. Striped adders: every publisher and
 * delivery thread adds without contending; {@code ProjectStats} reads the sums.
 */
final class ProjectCounters {
    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder slowDisconnects = new LongAdder();
    final LongAdder topicsEvicted = new LongAdder();
    /** Publishes answered with an earlier publish of the same idempotency key, not stored again. */
    final LongAdder repeatedPublishes = new LongAdder();
}
