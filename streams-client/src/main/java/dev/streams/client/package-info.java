/**
 * The Java client of the native protocol: {@link dev.streams.client.StreamsClient} reconnects with back-off,
 * resumes every topic from its last cursor, reports gaps and refusals, and refreshes its credential before
 * it expires. Depends on Java-WebSocket and Gson, not on Netty.
 */
package dev.streams.client;
