/**
 * The HTTP, WebSocket and Server-Sent Events front end on Netty: {@link dev.streams.transport.ws.StreamsServer}
 * speaks m3o Streams, Golioth LightDB Stream (streams, history queries, device ingestion) and the native
 * protocol over one port, with every limit defaulted and enforced. Device data from the host's own code goes
 * through {@code DeviceIngestor} in streams-devices.
 */
package dev.streams.transport.ws;
