/**
 * Micrometer integration: {@link dev.streams.micrometer.StreamsMetricsBinder} feeds a server's metrics to a
 * host's registry.
 */
package dev.streams.micrometer;
