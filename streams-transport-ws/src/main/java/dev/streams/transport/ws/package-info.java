/**
 * The HTTP, WebSocket and Server-Sent Events front end on Netty: {@link dev.streams.transport.ws.StreamsServer}
 * speaks m3o Streams, Golioth LightDB Stream (streams, history queries, device ingestion) and the native
 * protocol over one port, with every limit defaulted and enforced; {@link dev.streams.transport.ws.DeviceIngestor}
 * takes device data from the host code.
 */
package dev.streams.transport.ws;
