/**
 * Device data, in one home: where it lives in the broker ({@link dev.streams.devices.DeviceTopics}), how a
 * device's readings are taken in with Golioth's semantics ({@link dev.streams.devices.DeviceIngestor}, which
 * a gateway calls in-process with nothing but a broker), and what JSON may be stored
 * ({@link dev.streams.devices.StorableJson}). Core and Gson only; the HTTP ingestion endpoint and the
 * Golioth dialect build on it.
 */
package dev.streams.devices;
