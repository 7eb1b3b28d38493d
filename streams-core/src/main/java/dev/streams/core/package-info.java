/**
 * The in-process topic broker, JDK only: {@link dev.streams.core.Broker} is the entry point. Projects keep
 * tenants apart; topics and patterns, per-topic history and resume positions, bounded subscriptions with
 * overflow policies, per-project limits and history queries ({@link dev.streams.core.HistoryQuery}). Everything in {@code dev.streams.core.internal} may change.
 */
package dev.streams.core;
